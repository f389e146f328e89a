import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from '../src/database/postgres-admin.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { scratchDatabaseUrl, testServerUrl } from './support/servers.js';
import { startService } from './support/service.js';
import { PASSWORD, queryServer } from './support/tenants.js';
import { dropTenantDatabases } from './support/test-app.js';

const count = async (sql: string) => (await queryServer<{ n: number }>(testServerUrl(), sql))[0].n;
const tenantDatabases = () => count(`SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 't\\_%'`);
const tenantRoles = () => count(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 't\\_%'`);

/**
 * Issue 8, acceptance 4: the service is SIGKILLed in the middle of a burst of onboardings. After a restart,
 * the sweep finishes (or removes) every row left `provisioning` without anyone retrying, and no database
 * or role is left without its organization.
 */
describe('the sweep finishes onboardings a crash interrupted', () => {
  const core = scratchDatabaseUrl();
  const base = {
    DATABASE_URL: core.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tenantry-sweep-')),
    PROVISIONING_SWEEP_MS: '300',
  };

  afterAll(async () => {
    await dropTenantDatabases(core.url).catch(() => undefined);
    await dropDatabase(testServerUrl(), core.name);
  });

  it('leaves no row provisioning and no orphan database or role', async () => {
    const databasesBefore = await tenantDatabases();
    const rolesBefore = await tenantRoles();
    const doomed = await startService(base);
    const tokens: string[] = [];
    for (let i = 0; i < 8; i++) {
      const email = `sweep-${i}@example.com`;
      const reg = await doomed.http.post('/api/v1/core/auth/register', {
        email,
        password: PASSWORD,
        name: 'S',
      });
      await queryServer(core.url, 'UPDATE owners SET email_verified_at = now() WHERE id = $1', [reg.body.id]);
      tokens.push(
        (await doomed.http.post('/api/v1/core/auth/login', { email, password: PASSWORD })).body.accessToken,
      );
    }
    const burst = tokens.map((token, i) =>
      doomed.http
        .post('/api/v1/core/organizations', { name: `Sweep ${i}`, slug: `sweep-${i}` }, { token })
        .catch(() => undefined),
    );
    // Kill it while an onboarding is under way.
    for (let i = 0; i < 2000; i++) {
      const rows = await queryServer(core.url, `SELECT 1 FROM organizations WHERE status = 'provisioning'`);
      if (rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    await Promise.all(burst);
    const stuck = await queryServer(core.url, `SELECT id FROM organizations WHERE status = 'provisioning'`);
    expect(stuck.length).toBeGreaterThan(0);

    const healthy = await startService(base);
    try {
      let left = stuck.length;
      for (let i = 0; i < 100 && left > 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        left = (await queryServer(core.url, `SELECT 1 FROM organizations WHERE status = 'provisioning'`))
          .length;
      }
      expect(left).toBe(0);
      const rows = await queryServer<{ id: string; status: string }>(
        core.url,
        'SELECT id, status FROM organizations',
      );
      const active = rows.filter((r) => r.status === 'active');
      expect(rows.filter((r) => !['active', 'failed'].includes(r.status))).toEqual([]);
      for (const row of rows) {
        const { dbName, role, ownerRole } = tenantIdentity(row.id);
        const expected = row.status === 'active' ? 1 : 0;
        expect(await count(`SELECT count(*)::int AS n FROM pg_database WHERE datname = '${dbName}'`)).toBe(
          expected,
        );
        expect(
          await count(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname IN ('${role}', '${ownerRole}')`),
        ).toBe(2 * expected);
      }
      expect(await tenantDatabases()).toBe(databasesBefore + active.length);
      expect(await tenantRoles()).toBe(rolesBefore + 2 * active.length); // login and owner role each
    } finally {
      healthy.child.kill('SIGTERM');
      await healthy.exited;
    }
  });
});
