import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/datasource-options.js';
import { dropDatabase, ensureDatabase } from '../src/database/postgres-admin.js';
import { SCHEMAS } from '../src/schemas.js';
import { TenantMigrator } from '../src/tenancy/index.js';
import { scratchDatabaseUrl, testServerUrl } from './support/servers.js';
import { onboard, queryServer, tenantDatabaseAdminUrl, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The schema as a sorted list of lines: every column (type, null, default), index, constraint, trigger and
 * function of the public schema. Two databases with equal lists have the same schema, as far as the
 * service can tell.
 */
async function schemaOf(url: string): Promise<string[]> {
  const rows = await queryServer<{ line: string }>(
    url,
    `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
            coalesce(column_default, '') AS line
       FROM information_schema.columns WHERE table_schema = 'public'
     UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace
     UNION ALL SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
     UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace`,
  );
  return rows.map((r) => r.line).sort();
}

/** Tables of the public schema besides the migrations bookkeeping. */
const tablesOf = async (url: string) =>
  (
    await queryServer<{ name: string }>(
      url,
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
    )
  ).map((r) => r.name);

/**
 * Issue 21, item 6: every real migration's `down()` — each tenant and core migration reverted, newest first,
 * down to an empty schema, then migrated up again: the same schema as before, so any one deploy can be
 * rolled back by `migrate:revert:tenants`.
 */
describe('every migration reverts and re-applies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it(`tenant: ${SCHEMAS.tenant.migrations.length} migrations down to nothing and up again, the same schema`, async () => {
    const owner = await verifiedOwner(t, 'roundtrip@example.com');
    const { id } = await onboard(t, owner, 'round-trip');
    const tenant = { id, server: 'primary' };
    const url = await tenantDatabaseAdminUrl(t.coreUrl, 'round-trip');
    const before = await schemaOf(url);
    const migrator = t.app.get(TenantMigrator);
    const reverted: string[] = [];
    for (let i = 0; i < SCHEMAS.tenant.migrations.length; i++) {
      const { from, to } = await migrator.revertLast(tenant);
      reverted.push(from!);
      if (i === SCHEMAS.tenant.migrations.length - 1) expect(to).toBeNull();
    }
    expect(reverted).toHaveLength(SCHEMAS.tenant.migrations.length);
    expect(await tablesOf(url)).toEqual([]);
    const { applied } = await migrator.migrate(tenant);
    expect(applied).toEqual([...reverted].reverse());
    expect(await schemaOf(url)).toEqual(before);
  }, 120_000);

  it(`core: ${SCHEMAS.core.migrations.length} migrations down to nothing and up again, the same schema`, async () => {
    const scratch = scratchDatabaseUrl('tenantry_roundtrip');
    await ensureDatabase(scratch.url);
    const ds = new DataSource(
      buildDataSourceOptions({
        url: scratch.url,
        migrations: SCHEMAS.core.migrations,
        applicationName: 'tenantry-roundtrip',
      }),
    );
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      const before = await schemaOf(scratch.url);
      for (let i = 0; i < SCHEMAS.core.migrations.length; i++)
        await ds.undoLastMigration({ transaction: 'each' });
      expect(await tablesOf(scratch.url)).toEqual([]);
      await ds.runMigrations({ transaction: 'each' });
      expect(await schemaOf(scratch.url)).toEqual(before);
    } finally {
      await ds.destroy();
      await dropDatabase(testServerUrl(), scratch.name);
    }
  }, 120_000);
});
