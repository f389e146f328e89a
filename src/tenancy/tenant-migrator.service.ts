import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MigrationInterface } from 'typeorm';
import { TENANT_MIGRATIONS } from '../../migrations-tenant/index.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Organization } from '../core/organizations/organization.entity.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { buildDataSourceOptions } from '../database/datasource-options.js';
import { runMigrationsLocked } from '../database/migration-lock.js';
import { tenantDatabaseUrl } from './tenant-identity.js';

export interface TenantMigrationResult {
  applied: string[];
  version: string | null;
}

/**
 * Migrates one tenant database, connected as the tenant's own role (so what it creates is the tenant's),
 * under the per-database migration advisory lock, and records the resulting schema version in the catalog.
 */
@Injectable()
export class TenantMigrator {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
  ) {}

  async migrate(
    tenant: { id: string },
    migrations: (new () => MigrationInterface)[] = TENANT_MIGRATIONS,
  ): Promise<TenantMigrationResult> {
    const ds = new DataSource(
      buildDataSourceOptions('tenant', {
        url: tenantDatabaseUrl(this.serverUrl, tenant.id, this.config.tenants.dbSecret),
        poolMax: 1,
        applicationName: 'tenantry-migrate',
        migrations,
      }),
    );
    await ds.initialize();
    try {
      const applied = await runMigrationsLocked(ds);
      const [last] = await ds.query('SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1');
      const version: string | null = last?.name ?? null;
      await this.core.getRepository(Organization).update({ id: tenant.id }, { schemaVersion: version });
      return { applied: applied.map((m) => m.name), version };
    } finally {
      await ds.destroy();
    }
  }
}
