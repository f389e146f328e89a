import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { PointInTimeArchive } from '../backups/pitr/point-in-time-archive.js';
import { assertCoreCurrent } from './core-schema.guard.js';

@Command({
  name: 'servers:base-backup',
  description:
    "A base backup of a server's cluster now (point in time starts from one; the scheduled backup takes them too).",
})
export class ServersBaseBackupCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly archive: PointInTimeArchive,
  ) {
    super();
  }

  @Option({ flags: '--server <name>', description: 'the server (default: every server)' })
  parseServer(value: string): string {
    return value;
  }

  async run(_params: string[], options: { server?: string }): Promise<void> {
    await assertCoreCurrent(this.core);
    const names = await this.archive.serverNames();
    if (options.server && !names.includes(options.server))
      throw new Error(`no server named ${options.server}`);
    const failed: string[] = [];
    for (const server of options.server ? [options.server] : names) {
      const started = Date.now();
      try {
        const base = await this.archive.takeBaseBackup(server);
        const removed = this.archive.prune(server);
        console.log(
          `base backup of ${server}: ${base.bytes} bytes in ${Date.now() - started} ms, from WAL ${base.startWal}` +
            (removed ? `; ${removed} older files pruned` : ''),
        );
      } catch (err) {
        // The other servers still get theirs.
        process.stderr.write(`${server}: ${(err as Error).message}\n`);
        failed.push(server);
      }
    }
    if (failed.length > 0) throw new Error(`no base backup of ${failed.join(', ')}`);
  }
}
