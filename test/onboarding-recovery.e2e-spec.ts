import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from '../src/database/postgres-admin.js';
import { tenantIdentity, TENANCY_SETTINGS, type TenancySettings } from '../src/tenancy/index.js';
import { expectProblem } from './support/http.js';
import { startService } from './support/service.js';
import { scratchDatabaseUrl, testServerUrl } from './support/servers.js';
import { onboard, PASSWORD, queryServer, verifiedOwner } from './support/tenants.js';
import { dropTenantDatabases, startTestApp, TestApp } from './support/test-app.js';

const tenantObjects = async (id: string) => {
  const { dbName, role, ownerRole } = tenantIdentity(id);
  const dbs = await queryServer(testServerUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  const roles = await queryServer(testServerUrl(), 'SELECT 1 FROM pg_roles WHERE rolname = ANY($1)', [
    [role, ownerRole],
  ]);
  return { databases: dbs.length, roles: roles.length };
};
const allTenantDatabases = async () =>
  Number(
    (
      await queryServer<{ n: string }>(
        testServerUrl(),
        `SELECT count(*) AS n FROM pg_database WHERE datname LIKE 't\\_%'`,
      )
    )[0].n,
  );

describe('onboarding survives a crash at any step', () => {
  const core = scratchDatabaseUrl();
  const base = { DATABASE_URL: core.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'tenantry-crash-')) };
  let ownerToken: string;

  afterAll(async () => {
    await dropTenantDatabases(core.url).catch(() => undefined);
    await dropDatabase(testServerUrl(), core.name);
  });

  it.each(['claimed', 'role', 'database', 'migrated', 'seeded'])(
    'SIGKILL after "%s", restart, retry → 201 and no orphans',
    async (step) => {
      const slug = `crash-${step}`;
      const before = await allTenantDatabases();

      const doomed = await startService({ ...base, TENANTRY_FAULT_AFTER_STEP: step });
      if (!ownerToken) {
        const reg = await doomed.http.post('/api/v1/core/auth/register', {
          email: 'crash@example.com',
          password: PASSWORD,
          name: 'C',
        });
        await queryServer(core.url, 'UPDATE owners SET email_verified_at = now() WHERE id = $1', [
          reg.body.id,
        ]);
        ownerToken = (
          await doomed.http.post('/api/v1/core/auth/login', {
            email: 'crash@example.com',
            password: PASSWORD,
          })
        ).body.accessToken;
      }
      await expect(
        doomed.http.post('/api/v1/core/organizations', { name: slug, slug }, { token: ownerToken }),
      ).rejects.toThrow();
      expect(await doomed.exited).toBe('SIGKILL');
      const [row] = await queryServer<{ id: string; status: string }>(
        core.url,
        'SELECT id, status FROM organizations WHERE slug = $1',
        [slug],
      );
      expect(row.status).toBe('provisioning');

      const healthy = await startService(base);
      try {
        const retry = await healthy.http.post(
          '/api/v1/core/organizations',
          { name: slug, slug },
          { token: ownerToken },
        );
        expect(retry.status).toBe(201);
        expect(retry.body).toMatchObject({ id: row.id, slug, status: 'active' });
        // Exactly one database and one role for it, and no other tenant database appeared.
        expect(await tenantObjects(row.id)).toEqual({ databases: 1, roles: 2 });
        expect(await allTenantDatabases()).toBe(before + 1);
        const login = await healthy.http.post(
          '/api/v1/auth/login',
          { email: 'crash@example.com', password: PASSWORD },
          { headers: { 'x-tenant': slug } },
        );
        expect(login.status).toBe(200);
      } finally {
        healthy.child.kill('SIGTERM');
        await healthy.exited;
      }
    },
  );
});

describe('onboarding that fails without a crash', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('ends `failed` with nothing half-made, and a retry succeeds', async () => {
    t = await startTestApp({ TENANTRY_FAULT_AFTER_STEP: 'migrated:error' });
    const owner = await verifiedOwner(t, 'fail@example.com');
    const before = await allTenantDatabases();
    const res = await t.http.post(
      '/api/v1/core/organizations',
      { name: 'Fails', slug: 'fails-once' },
      { token: owner.token },
    );
    expectProblem(res, 503, 'PROVISIONING_FAILED');
    const [row] = await queryServer<{ id: string; status: string }>(
      t.coreUrl,
      `SELECT id, status FROM organizations WHERE slug = 'fails-once'`,
    );
    expect(row.status).toBe('failed');
    expect(await tenantObjects(row.id)).toEqual({ databases: 0, roles: 0 });
    expect(await allTenantDatabases()).toBe(before);
    expectProblem(
      await t.http.get('/api/v1/users/me', { headers: { 'x-tenant': 'fails-once' } }),
      503,
      'TENANT_NOT_READY',
    );

    // The engine's own settings (it reads no app configuration): the fault is lifted where it is read.
    t.app.get<TenancySettings>(TENANCY_SETTINGS).faults = {};
    const retry = await onboard(t, owner, 'fails-once');
    expect(retry.id).toBe(row.id);
    expect(await tenantObjects(row.id)).toEqual({ databases: 1, roles: 2 });
  });
});
