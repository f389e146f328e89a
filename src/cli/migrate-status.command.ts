import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { FleetMigrator, TenantMigrator } from '../tenancy/index.js';
import { formatTable, versionOf } from './table.js';

@Command({
  name: 'migrate:status',
  description: 'Core and tenant schema versions, and which tenants are behind.',
})
export class MigrateStatusCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly fleet: FleetMigrator,
    private readonly migrator: TenantMigrator,
  ) {
    super();
  }

  @Option({ flags: '--tenant <slug>', description: 'only this tenant (repeatable)' })
  parseTenant(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Option({ flags: '--summary', description: 'tenants per schema version per server, and failed tenants' })
  parseSummary(): boolean {
    return true;
  }

  async run(_params: string[], options: { tenant?: string[]; summary?: boolean } = {}): Promise<void> {
    const corePending = await this.core.showMigrations();
    console.log(`core: ${corePending ? 'migrations pending — run migrate:core' : 'up to date'}`);
    if (corePending) return;
    if (options.summary) return this.summary();
    const latest = this.migrator.latest;
    const tenants = await this.fleet.targets(options.tenant ?? []);
    const behind = tenants.filter((t) => t.schemaVersion !== latest);
    console.log(`tenants: latest version ${versionOf(latest)}`);
    console.log(
      formatTable(
        ['tenant', 'status', 'version', 'state'],
        tenants.map((t) => [
          t.slug,
          t.status,
          versionOf(t.schemaVersion),
          t.schemaVersion === latest ? 'current' : 'BEHIND',
        ]),
      ),
    );
    console.log(
      behind.length === 0
        ? '\nnobody is behind'
        : `\n${behind.length} behind: ${behind.map((t) => t.slug).join(', ')}`,
    );
  }

  /** The fleet at a glance: how many tenants of each server run each schema version, and which failed. */
  private async summary(): Promise<void> {
    const latest = this.migrator.latest;
    const rows: { server: string; version: string | null; tenants: number }[] = await this.core.query(
      `SELECT server, schema_version AS version, count(*)::int AS tenants FROM organizations
        WHERE status IN ('active', 'suspended') GROUP BY server, schema_version ORDER BY server, schema_version`,
    );
    console.log(`tenants: latest version ${versionOf(latest)}`);
    console.log(
      formatTable(
        ['server', 'version', 'tenants', 'state'],
        rows.map((r) => [
          r.server,
          versionOf(r.version),
          r.tenants,
          r.version === latest ? 'current' : 'BEHIND',
        ]),
      ),
    );
    const failed: { slug: string; server: string; error: string | null }[] = await this.core.query(
      `SELECT slug, server, last_error AS error FROM organizations WHERE status = 'failed' ORDER BY slug`,
    );
    if (failed.length === 0) console.log('\nno failed tenant');
    else {
      console.log(`\n${failed.length} failed:`);
      console.log(
        formatTable(
          ['tenant', 'server', 'error'],
          failed.map((f) => [f.slug, f.server, f.error ?? '-']),
        ),
      );
    }
  }
}
