import { tenantIdentity } from '../src/tenancy/index.js';
import { expectProblem } from './support/http.js';
import { testServerUrl } from './support/servers.js';
import { adminToken, onboard, Owner, queryServer, tenantHeaders, verifiedOwner } from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('organization lifecycle across two instances', () => {
  let one: TestApp;
  let two: TestApp;
  let owner: Owner;
  let token: string;
  let org: { id: string; slug: string };

  beforeAll(async () => {
    one = await startTestApp();
    // A second instance of the service on the same core database.
    two = await startTestApp({ DATABASE_URL: one.coreUrl });
    owner = await verifiedOwner(one, 'life@example.com');
    org = await onboard(one, owner, 'life-co');
    token = await adminToken(one, owner, 'life-co');
  });
  afterAll(async () => {
    await two?.app.close();
    await one?.close();
  });

  const meOn = (t: TestApp) => t.http.get('/api/v1/users/me', { token, headers: tenantHeaders('life-co') });

  async function within(ms: number, t: TestApp, status: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const res = await meOn(t);
      if (res.status === status) return Date.now() - started;
      if (Date.now() - started > ms) throw new Error(`still ${res.status} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('a suspension through one instance is refused by the other within 1 s, and a resume lifts it', async () => {
    // Both instances have the tenant warm in their caches.
    expect((await meOn(one)).status).toBe(200);
    expect((await meOn(two)).status).toBe(200);

    const suspended = await one.http.post('/api/v1/core/organizations/life-co/suspend', undefined, {
      token: owner.token,
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    expect(await within(1000, two, 403)).toBeLessThan(1000);
    expectProblem(await meOn(two), 403, 'TENANT_SUSPENDED');
    expectProblem(await meOn(one), 403, 'TENANT_SUSPENDED');

    expect(
      (await one.http.post('/api/v1/core/organizations/life-co/resume', undefined, { token: owner.token }))
        .status,
    ).toBe(200);
    expect(await within(1000, two, 200)).toBeLessThan(1000);
  });

  it('a suspension written by any code path (here: plain SQL) reaches both instances within 1 s', async () => {
    expect((await meOn(one)).status).toBe(200);
    expect((await meOn(two)).status).toBe(200);
    // Nobody publishes anything: the catalog's own trigger announces the change.
    await queryServer(one.coreUrl, `UPDATE organizations SET status = 'suspended' WHERE slug = 'life-co'`);
    expect(await within(1000, one, 403)).toBeLessThan(1000);
    expect(await within(1000, two, 403)).toBeLessThan(1000);
    await queryServer(one.coreUrl, `UPDATE organizations SET status = 'active' WHERE slug = 'life-co'`);
    expect(await within(1000, two, 200)).toBeLessThan(1000);
    expect(await within(1000, one, 200)).toBeLessThan(1000);
  });

  it('another owner cannot suspend, resume or delete it', async () => {
    const other = await verifiedOwner(one, 'other@example.com');
    for (const path of ['suspend', 'resume']) {
      expectProblem(
        await one.http.post(`/api/v1/core/organizations/life-co/${path}`, undefined, { token: other.token }),
        404,
        'ORGANIZATION_NOT_FOUND',
      );
    }
    expectProblem(
      await one.http.delete(
        '/api/v1/core/organizations/life-co',
        { confirm: 'life-co' },
        { token: other.token },
      ),
      404,
      'ORGANIZATION_NOT_FOUND',
    );
  });

  it('deleting stops the tenant at once on both instances and drops its database and role', async () => {
    const res = await two.http.delete(
      '/api/v1/core/organizations/life-co',
      { confirm: 'life-co' },
      { token: owner.token },
    );
    expect(res.status).toBe(202);
    expectProblem(await meOn(one), 404, 'TENANT_NOT_FOUND');
    expectProblem(await meOn(two), 404, 'TENANT_NOT_FOUND');
    const { dbName, role, ownerRole } = tenantIdentity(org.id);
    expect(
      await queryServer(testServerUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [dbName]),
    ).toHaveLength(0);
    expect(
      await queryServer(testServerUrl(), 'SELECT 1 FROM pg_roles WHERE rolname = ANY($1)', [
        [role, ownerRole],
      ]),
    ).toHaveLength(0);
    expectProblem(
      await one.http.get('/api/v1/core/organizations/life-co', { token: owner.token }),
      404,
      'ORGANIZATION_NOT_FOUND',
    );
    // The slug is free again.
    expect(
      (
        await one.http.post(
          '/api/v1/core/organizations',
          { name: 'Again', slug: 'life-co' },
          { token: owner.token },
        )
      ).status,
    ).toBe(201);
  });

  it('answers 503 TENANT_NOT_READY with Retry-After for an organization still provisioning', async () => {
    await queryServer(one.coreUrl, `UPDATE organizations SET status = 'provisioning' WHERE slug = 'life-co'`);
    await queryServer(one.coreUrl, `SELECT pg_notify('tenantry_catalog', 'life-co')`);
    const res = await one.http.post(
      '/api/v1/auth/login',
      { email: owner.email, password: 'x'.repeat(12) },
      { headers: tenantHeaders('life-co') },
    );
    expectProblem(res, 503, 'TENANT_NOT_READY');
    expect(res.headers.get('retry-after')).toBe('5');
  });
});
