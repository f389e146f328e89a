import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MigrationExecutor } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Organization } from '../core/organizations/organization.entity.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { buildDataSourceOptions } from '../database/datasource-options.js';
import { withMigrationLock } from '../database/migration-lock.js';
import { tenantDatabaseUrl } from './tenant-identity.js';
import { type MigrationClass, migrationName, TENANT_MIGRATION_SET } from './tenant-migrations.js';

export interface TenantMigrationResult {
  from: string | null;
  to: string | null;
  applied: string[];
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
    @Inject(TENANT_MIGRATION_SET) private readonly migrations: MigrationClass[],
  ) {}

  /** The version the current migration set leads to. */
  get latest(): string | null {
    const last = this.migrations[this.migrations.length - 1];
    return last ? migrationName(last) : null;
  }

  get migrationSet(): MigrationClass[] {
    return this.migrations;
  }

  async migrate(tenant: { id: string }): Promise<TenantMigrationResult> {
    return this.withExecutor(tenant, async (executor, version) => {
      const from = await version();
      const applied = await executor.executePendingMigrations();
      return { from, to: await version(), applied: applied.map((m) => m.name) };
    });
  }

  /** The names of the migrations that `migrate` would apply, without applying them. */
  async pending(tenant: { id: string }): Promise<string[]> {
    return this.withExecutor(tenant, async (executor) =>
      (await executor.getPendingMigrations()).map((m) => m.name),
    );
  }

  async revertLast(tenant: { id: string }): Promise<TenantMigrationResult> {
    return this.withExecutor(tenant, async (executor, version) => {
      const from = await version();
      await executor.undoLastMigration();
      return { from, to: await version(), applied: [] };
    });
  }

  private async withExecutor<T>(
    tenant: { id: string },
    fn: (executor: MigrationExecutor, version: () => Promise<string | null>) => Promise<T>,
  ): Promise<T> {
    // Migrations need no entity metadata: leaving the entities out saves the CPU of building it for every
    // tenant, which is what limits a fleet run's parallelism on the service's single thread.
    const ds = new DataSource({
      ...buildDataSourceOptions('tenant', {
        url: tenantDatabaseUrl(this.serverUrl, tenant.id, this.config.tenants.dbSecret),
        poolMax: 1,
        applicationName: 'tenantry-migrate',
        migrations: this.migrations,
      }),
      entities: [],
    });
    await ds.initialize();
    try {
      return await withMigrationLock(ds, async (runner) => {
        const executor = new MigrationExecutor(ds, runner);
        executor.transaction = 'each';
        const version = async (): Promise<string | null> => {
          const [last] = await runner.query(
            'SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1',
          );
          return last?.name ?? null;
        };
        const result = await fn(executor, version);
        await this.core
          .getRepository(Organization)
          .update({ id: tenant.id }, { schemaVersion: await version() });
        return result;
      });
    } finally {
      await ds.destroy();
    }
  }
}
