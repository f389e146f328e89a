import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantDatabaseUrl, tenantIdentity } from '../src/tenancy/index.js';
import { TenantWorld } from './support/domain.js';
import { testServerUrl } from './support/servers.js';
import { queryServer } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 20, finding 8 and "Also": a tenant login role that changes its own password (Postgres allows any
 * role that) does not lock the service out — the next connect is refused, the service resets the derived
 * password as admin and connects — and on a server the service owns (embedded), roles other than the admin
 * cannot connect to the `postgres` and `template1` databases.
 */
describe('security: tenant roles', () => {
  let t: TestApp;
  let w: TenantWorld;
  let tenantId: string;
  beforeAll(async () => {
    t = await startTestApp(PRODUCTION_ENV);
    w = await TenantWorld.create(t, 'role-repair');
    [{ id: tenantId }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
  }, 60_000);
  afterAll(() => t?.close());

  it('repairs a login role that changed its own password, and serves the tenant again', async () => {
    const url = tenantDatabaseUrl(t.coreUrl, tenantId, t.config.tenants.dbSecret);
    const own = new pg.Client({ connectionString: url });
    await own.connect();
    await own.query(`ALTER ROLE CURRENT_USER PASSWORD 'locked-out-by-the-tenant'`);
    await own.end();
    // The service's open connections keep working; the lock-out shows at its next connect.
    await queryServer(
      testServerUrl(),
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = $2',
      [tenantIdentity(tenantId).dbName, tenantIdentity(tenantId).role],
    );
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await w.as('staff').get('/api/v1/users/me')).status);
    expect(statuses).toEqual([200, 200, 200]);
    const again = new pg.Client({ connectionString: url });
    await again.connect(); // the derived password works again
    await again.end();
  });

  it('keeps roles other than the admin out of postgres and template1 on the embedded server', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tenantry-maint-db-')), 'pg');
    const server = await startEmbeddedPostgres({ dir, persistent: false, maxConnections: 20 });
    try {
      await queryServer(server.url, `CREATE ROLE probe LOGIN PASSWORD 'probe-password-1'`);
      await queryServer(server.url, 'CREATE DATABASE probe_own OWNER probe');
      const as = (db: string) => {
        const url = new URL(withDatabase(server.url, db));
        url.username = 'probe';
        url.password = 'probe-password-1';
        const client = new pg.Client({ connectionString: url.toString() });
        client.on('error', () => undefined);
        return client;
      };
      const ownDb = as('probe_own');
      await ownDb.connect(); // its own database: yes
      await ownDb.end();
      for (const db of ['postgres', 'template1'])
        await expect(as(db).connect()).rejects.toThrow(/permission denied for database/);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
