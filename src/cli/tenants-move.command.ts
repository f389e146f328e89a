import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { TenantMover } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';

@Command({
  name: 'tenants:move',
  description:
    "Move a tenant's database to another server (503 while it moves, or --online: only for the switch; rerun after an interruption).",
})
export class TenantsMoveCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly mover: TenantMover,
  ) {
    super();
  }

  @Option({ flags: '--tenant <slug>', description: 'the tenant', required: true })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--to <server>', description: 'the server to move it to (servers:list)', required: true })
  parseTo(value: string): string {
    return value;
  }

  @Option({
    flags: '--online',
    description: 'copy by logical replication while the tenant serves; writes freeze only for the switch',
  })
  parseOnline(): boolean {
    return true;
  }

  async run(_params: string[], options: { tenant: string; to: string; online?: boolean }): Promise<void> {
    await assertCoreCurrent(this.core);
    const result = await this.mover.move(
      options.tenant,
      options.to,
      (line) => process.stderr.write(`${line}\n`),
      options.online === true,
    );
    console.log(
      `moved ${options.tenant} from ${result.from} to ${result.to}: ${result.tables} tables, ${result.rows} rows, ` +
        `${result.bytes} bytes; it answered 503 for ${result.frozenMs} ms`,
    );
  }
}
