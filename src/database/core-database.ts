import { DataSource, MigrationInterface } from 'typeorm';
import { buildDataSourceOptions } from './datasource-options.js';
import { runMigrationsLocked } from './migration-lock.js';
import { ensureDatabase } from './postgres-admin.js';

/**
 * Creates the core database when it is missing and brings it to the latest core migration, under the
 * migration advisory lock (two instances starting together migrate once). Returns the names applied.
 */
export async function prepareCoreDatabase(
  coreUrl: string,
  migrations: (new () => MigrationInterface)[],
): Promise<string[]> {
  await ensureDatabase(coreUrl);
  const ds = new DataSource(
    buildDataSourceOptions({ url: coreUrl, poolMax: 1, migrations, applicationName: 'tenantry-migrate' }),
  );
  await ds.initialize();
  try {
    const applied = await runMigrationsLocked(ds);
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
