import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { FleetMigrator, TenantMigrator } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { collectSlugs } from './options.js';
import { versionOf } from './table.js';

@Command({
  name: 'migrate:revert:tenants',
  description:
    'Revert the last migration of the named tenant (repeat --tenant for several, one after another).',
})
export class MigrateRevertTenantsCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly fleet: FleetMigrator,
    private readonly migrator: TenantMigrator,
  ) {
    super();
  }

  @Option({ flags: '--tenant <slug>', description: 'a tenant (repeatable)', required: true })
  parseTenant(value: string, previous: string[] = []): string[] {
    return collectSlugs(value, previous);
  }

  async run(_params: string[], options: { tenant: string[] }): Promise<void> {
    await assertCoreCurrent(this.core);
    // Every named tenant must exist before any is touched; then each is reverted in turn, stopping at a failure.
    for (const tenant of await this.fleet.targets(options.tenant)) {
      const result = await this.migrator.revertLast(tenant);
      console.log(`${tenant.slug}: ${versionOf(result.from)} → ${versionOf(result.to)}`);
    }
  }
}
