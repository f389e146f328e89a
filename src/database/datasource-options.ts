import { DataSourceOptions, MigrationInterface } from 'typeorm';

export type SchemaTarget = 'core' | 'tenant';

export interface DataSourceParams {
  url: string;
  /** Pool size bound (pg `max`). */
  poolMax?: number;
  /** Idle connections are closed after this many ms. */
  idleMs?: number;
  /** The schema's entities (src/schemas.ts); none when only migrations run. */
  entities?: DataSourceOptions['entities'];
  /** The schema's migrations, oldest first. */
  migrations?: (new () => MigrationInterface)[];
  applicationName: string;
}

/**
 * The one place that turns a connection URL into TypeORM options, for the app, the CLI, the tests and the
 * benchmarks alike. Never `synchronize`: schemas change only through migrations.
 */
export function buildDataSourceOptions(params: DataSourceParams): DataSourceOptions {
  return {
    type: 'postgres',
    url: params.url,
    entities: params.entities ?? [],
    migrations: params.migrations ?? [],
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
    applicationName: params.applicationName,
    extra: {
      idleTimeoutMillis: params.idleMs ?? 30_000,
      connectionTimeoutMillis: 10_000,
    },
  };
}
