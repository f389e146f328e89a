import type pg from 'pg';
import { DataSource, DataSourceOptions, EntityManager, TypeORMError } from 'typeorm';
import { buildDataSourceOptions } from '../../database/datasource-options.js';
import {
  checkPgSaslPatch,
  checkPinnedVersions,
  checkTypeormDriverPatch,
} from '../../database/private-api-guards.js';

/** What TypeORM's Postgres query runner and driver expose that we bind a borrowed connection to. */
interface BindableQueryRunner {
  databaseConnection?: pg.Client;
  manager: EntityManager;
  release(): Promise<void>;
}
interface PostgresDriverInternals {
  master?: { end(): Promise<void> };
  obtainMasterConnection(): Promise<unknown>;
}

/**
 * One DataSource for the entity metadata of every tenant (twenty's move from a DataSource per workspace
 * to one global DataSource). It is initialised once against the server (to learn its version), then its
 * own pool is closed: every query runs on a connection borrowed from the tenant's budgeted pool. Using
 * it without one is a bug, and fails loudly instead of reaching the wrong database.
 */
export async function createSharedTenantDataSource(
  serverUrl: string,
  entities: DataSourceOptions['entities'],
): Promise<DataSource> {
  // The engine's own start-up check of the members patched here and in ScramCachingClient (pinned versions).
  checkPinnedVersions();
  checkTypeormDriverPatch();
  checkPgSaslPatch();
  const ds = new DataSource(
    buildDataSourceOptions({
      url: serverUrl,
      entities,
      poolMax: 1,
      applicationName: 'tenantry-metadata',
    }),
  );
  await ds.initialize();
  const driver = ds.driver as unknown as PostgresDriverInternals;
  await driver.master?.end();
  driver.master = { end: async () => undefined };
  driver.obtainMasterConnection = () =>
    Promise.reject(new TypeORMError('tenant entities used outside a tenant connection'));
  return ds;
}

/** An EntityManager whose every query (transactions included) runs on `client`. */
export function entityManagerOn(
  ds: DataSource,
  client: pg.Client,
): { manager: EntityManager; done: () => Promise<void> } {
  const runner = ds.createQueryRunner() as unknown as BindableQueryRunner;
  runner.databaseConnection = client;
  return { manager: runner.manager, done: () => runner.release() };
}
