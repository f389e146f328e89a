import { TenantConnectionRegistry } from '../src/tenancy/index.js';
import { drive, sampleMax } from './support/load.js';
import { type OwnPostgres, startOwnPostgres } from './support/own-postgres.js';
import { adminToken, onboard, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SHARE = 12;

/**
 * Issue 21, item 6: two instances on one server, each given its share of the connection budget
 * (`TENANT_CONNECTION_BUDGET`, docs/reference/tenancy.md). Under 64 clients spread over both and over more tenants than
 * the shares hold, Postgres itself (sampled) never sees more tenant connections than the two shares, each
 * instance stays within its own, and every reply is 200 or 503 with Retry-After.
 */
describe('two instances sharing one server', () => {
  let pg: OwnPostgres;
  let a: TestApp;
  let b: TestApp;
  const tenants: { slug: string; token: string }[] = [];

  beforeAll(async () => {
    pg = await startOwnPostgres(60);
    const env = {
      DATABASE_URL: pg.coreUrl,
      TENANT_CONNECTION_BUDGET: String(SHARE),
      TENANT_ACQUIRE_TIMEOUT_MS: '500',
      ORG_LIMIT_PER_OWNER: '100',
    };
    a = await startTestApp(env);
    b = await startTestApp(env, { runWorkers: false });
    const owner = await verifiedOwner(a, 'shared@example.com');
    for (let i = 0; i < SHARE * 3; i++) {
      const slug = `shared-${i}`;
      await onboard(a, owner, slug);
      tenants.push({ slug, token: await adminToken(a, owner, slug) });
    }
  }, 180_000);
  afterAll(async () => {
    // b first: closing an app of the same process ends TypeORM's shared default data source.
    await b?.app.close();
    await a?.app.close();
    await pg?.stop();
  });

  it('keeps the server within both shares, each instance within its own', async () => {
    expect(a.app.get(TenantConnectionRegistry).budget.tenants).toBe(SHARE);
    expect(b.app.get(TenantConnectionRegistry).budget.tenants).toBe(SHARE);
    const sampler = sampleMax(() => pg.connections(), 50);
    const load = (t: TestApp, offset: number) =>
      drive(t.http, 32, 15, (i) => {
        const tenant = tenants[(i * 7 + offset) % tenants.length];
        return (h) =>
          h.get('/api/v1/users/me', { token: tenant.token, headers: { 'x-tenant': tenant.slug } });
      });
    const [ra, rb] = await Promise.all([load(a, 0), load(b, 5)]);
    const max = await sampler.stop();
    expect([...ra.unexpected, ...rb.unexpected]).toEqual([]);
    const ok = (ra.statuses[200] ?? 0) + (rb.statuses[200] ?? 0);
    expect(ok / (32 * 15 * 2)).toBeGreaterThan(0.5);
    // Both instances keep their connections idle (TENANT_IDLE_MS, 60 s) after the load: Postgres sees the two
    // shares at once. Sampled during the load the count dips below that while connections churn between tenants.
    const after = await pg.connections();
    expect(after.tenant).toBeGreaterThan(SHARE);
    expect(Math.max(max.tenant ?? 0, after.tenant)).toBeLessThanOrEqual(2 * SHARE);
    expect(a.app.get(TenantConnectionRegistry).stats().peakOpen).toBeLessThanOrEqual(SHARE);
    expect(b.app.get(TenantConnectionRegistry).stats().peakOpen).toBeLessThanOrEqual(SHARE);
  }, 120_000);
});
