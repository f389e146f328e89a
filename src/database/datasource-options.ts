import { DataSourceOptions, MigrationInterface } from 'typeorm';
import { CORE_MIGRATIONS } from '../../migrations-core/index.js';
import { TENANT_MIGRATIONS } from '../../migrations-tenant/index.js';
import { CORE_ENTITIES, TENANT_ENTITIES } from './entities.js';

export type SchemaTarget = 'core' | 'tenant';

export interface DataSourceParams {
  url: string;
  /** Pool size bound (pg `max`). */
  poolMax?: number;
  /** Idle connections are closed after this many ms. */
  idleMs?: number;
  applicationName?: string;
  /** Override the migration set (tests add a migration of their own). */
  migrations?: (new () => MigrationInterface)[];
}

/**
 * The one place that turns a connection URL into TypeORM options, for the app, the CLI, the tests and the
 * benchmarks alike. Never `synchronize`: schemas change only through migrations.
 */
export function buildDataSourceOptions(target: SchemaTarget, params: DataSourceParams): DataSourceOptions {
  return {
    type: 'postgres',
    url: params.url,
    entities: target === 'core' ? CORE_ENTITIES : TENANT_ENTITIES,
    migrations: params.migrations ?? (target === 'core' ? CORE_MIGRATIONS : TENANT_MIGRATIONS),
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into Postgres 13+: no extension to install, so a tenant's own
    // (non-superuser) role can run every migration.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: false,
    poolSize: params.poolMax ?? 10,
    applicationName: params.applicationName ?? `tenantry-${target}`,
    extra: {
      idleTimeoutMillis: params.idleMs ?? 30_000,
      connectionTimeoutMillis: 10_000,
    },
  };
}
