import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { FleetMigrator } from '../tenancy/fleet-migrator.service.js';
import { TenantMigrator } from '../tenancy/tenant-migrator.service.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { versionOf } from './table.js';

@Command({ name: 'migrate:revert:tenants', description: 'Revert the last migration of one tenant.' })
export class MigrateRevertTenantsCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly fleet: FleetMigrator,
    private readonly migrator: TenantMigrator,
  ) {
    super();
  }

  @Option({ flags: '--tenant <slug>', description: 'the tenant', required: true })
  parseTenant(value: string): string {
    return value;
  }

  async run(_params: string[], options: { tenant: string }): Promise<void> {
    await assertCoreCurrent(this.core);
    const [tenant] = await this.fleet.targets([options.tenant]);
    const result = await this.migrator.revertLast(tenant);
    console.log(`${tenant.slug}: ${versionOf(result.from)} → ${versionOf(result.to)}`);
  }
}
