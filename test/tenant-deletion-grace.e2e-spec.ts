import { tenantIdentity } from '../src/tenancy/index.js';
import { runCli } from './support/cli.js';
import { TenantWorld } from './support/domain.js';
import { testServerUrl } from './support/servers.js';
import { queryServer, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Issue 12, acceptance 6: deletion with a grace of one day, restore inside it, the purge job after it. */
describe('deletion grace', () => {
  const GRACE = { TENANT_DELETE_GRACE_DAYS: '1' };
  let t: TestApp;
  let w: TenantWorld;
  let tenantId: string;
  const org = () => t.http.get(`/api/v1/core/organizations/${w.slug}`, { token: w.owner.token });
  const remove = () =>
    t.http.delete(`/api/v1/core/organizations/${w.slug}`, { confirm: w.slug }, { token: w.owner.token });
  const restore = (token = w.owner.token) =>
    t.http.post(`/api/v1/core/organizations/${w.slug}/restore`, undefined, { token });
  const purge = () => runCli(['jobs:run', 'tenant-purge'], { DATABASE_URL: t.coreUrl, ...GRACE });
  const leftOnServer = async () => {
    const id = tenantIdentity(tenantId);
    const [{ databases, roles }] = await queryServer<{ databases: number; roles: number }>(
      testServerUrl(),
      `SELECT (SELECT count(*)::int FROM pg_database WHERE datname = $1) AS databases,
              (SELECT count(*)::int FROM pg_roles WHERE rolname = ANY($2)) AS roles`,
      [id.dbName, [id.role, id.ownerRole, id.readerRole]],
    );
    return { databases, roles };
  };

  beforeAll(async () => {
    t = await startTestApp(GRACE);
    w = await TenantWorld.create(t, 'grace-co');
    tenantId = (await org()).body.id;
  }, 60_000);
  afterAll(() => t?.close());

  it('answers 404 at once after a delete, keeps the data, and restores it within the grace', async () => {
    const product = await w.product({ name: 'Kept through deletion' });
    expect((await restore()).body.code).toBe('INVALID_TRANSITION'); // not deleted
    expect((await remove()).status).toBe(202);

    const gone = await w.as('admin').get('/api/v1/users/me');
    expect([gone.status, gone.body.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    const exchange = await t.http.post('/api/v1/auth/exchange', undefined, {
      token: w.owner.token,
      headers: { 'x-tenant': w.slug },
    });
    expect(exchange.status).toBe(404);
    expect((await org()).body).toMatchObject({ status: 'deleted', deletedAt: expect.any(String) });
    expect(await leftOnServer()).toEqual({ databases: 1, roles: 2 });

    // Somebody else's organization is answered like a missing one.
    const stranger = await verifiedOwner(t, 'stranger@example.com');
    expect((await restore(stranger.token)).status).toBe(404);

    const restored = await restore();
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ slug: w.slug, status: 'active', deletedAt: null });
    // Issue 20: a restore is a session cut-off; tokens issued before the deletion do not come back with it.
    for (const role of ['admin', 'staff', 'auditor'] as const)
      expect({ role, status: (await w.as(role).get('/api/v1/users/me')).status }).toEqual({
        role,
        status: 401,
      });
    const fresh = await t.http.post('/api/v1/auth/exchange', undefined, {
      token: w.owner.token,
      headers: { 'x-tenant': w.slug },
    });
    expect(fresh.status).toBe(200);
    const back = await t.http.get(`/api/v1/products/${product.id}`, {
      token: fresh.body.accessToken,
      headers: { 'x-tenant': w.slug },
    });
    expect([back.status, back.body.name]).toEqual([200, 'Kept through deletion']);
    w.tokens.admin = fresh.body.accessToken;
  });

  it('leaves a deletion younger than the grace to the purge job, and purges it once the grace has passed', async () => {
    expect((await remove()).status).toBe(202);
    const early = await purge();
    expect(early.code).toBe(0);
    expect(await leftOnServer()).toEqual({ databases: 1, roles: 2 });

    await queryServer(
      t.coreUrl,
      `UPDATE organizations SET deleted_at = now() - interval '25 hours' WHERE id = $1`,
      [tenantId],
    );
    expect((await restore()).status).toBe(404); // past the grace: as good as gone
    const late = await purge();
    expect(late.code).toBe(0);
    expect(await leftOnServer()).toEqual({ databases: 0, roles: 0 });
    expect(
      await queryServer(t.coreUrl, 'SELECT 1 FROM organizations WHERE id = $1', [tenantId]),
    ).toHaveLength(0);
    expect((await org()).status).toBe(404);
  }, 60_000);
});
