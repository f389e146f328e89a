import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { TenantBackups } from '../backups/tenant-backups.service.js';
import { Organization } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { formatTable } from './table.js';

@Command({
  name: 'tenants:backups',
  description: "A tenant's recorded backups, newest first: id, time, size, schema version, verified.",
})
export class TenantsBackupsCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly backups: TenantBackups,
  ) {
    super();
  }

  @Option({ flags: '--tenant <slug>', description: 'the tenant', required: true })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--verify', description: 'restore each into a scratch database and check it again first' })
  parseVerify(): boolean {
    return true;
  }

  async run(_params: string[], options: { tenant: string; verify?: boolean }): Promise<void> {
    await assertCoreCurrent(this.core);
    const org = await this.core.getRepository(Organization).findOneBy({ slug: options.tenant });
    if (!org || org.status === 'spare') throw new Error(`no such tenant: ${options.tenant}`);
    let rows = await this.backups.list(org.id);
    if (options.verify) {
      const checked = [];
      for (const b of rows) checked.push(await this.backups.verify(b.id)); // one scratch restore at a time
      rows = checked;
    }
    if (rows.length === 0) return console.log(`no backups of ${org.slug}`);
    console.log(
      formatTable(
        ['backup', 'taken', 'bytes', 'schema', 'verified'],
        rows.map((b) => [
          b.id,
          b.createdAt,
          String(b.bytes),
          b.schemaVersion ?? '-',
          b.verifiedAt ?? (b.verifyError ? `FAILED: ${b.verifyError}` : 'no'),
        ]),
      ),
    );
    if (rows.some((b) => b.verifyError)) process.exitCode = 1;
  }
}
