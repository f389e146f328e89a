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

  async run(_params: string[], options: { tenant?: string[] } = {}): Promise<void> {
    const corePending = await this.core.showMigrations();
    console.log(`core: ${corePending ? 'migrations pending — run migrate:core' : 'up to date'}`);
    if (corePending) return;
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
}
