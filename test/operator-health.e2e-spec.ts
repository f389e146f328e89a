import { runCli } from './support/cli.js';
import { TenantWorld } from './support/domain.js';
import { startService, type Service } from './support/service.js';
import { tenantHeaders } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

/**
 * Per-tenant figures: each instance counts its requests, errors, latency and connection events per tenant
 * and writes them every few seconds (200 ms here); the operator's view of one tenant sums every instance.
 */
describe("a tenant's figures over the last hour, every instance together", () => {
  let t: TestApp;
  let w: TenantWorld;
  let services: Service[] = [];
  let operatorToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'health-co');
    const env = { DATABASE_URL: t.coreUrl, TENANTRY_FIGURES_FLUSH_MS: '200' };
    services = await Promise.all([1, 2].map(() => startService(env)));
    const created = await runCli(['operators:create', '--email', 'health-ops@example.com'], {
      DATABASE_URL: t.coreUrl,
    });
    const password = /password: (\S+)/.exec(created.stdout)![1];
    const login = await t.http.post('/api/v1/operator/auth/login', {
      email: 'health-ops@example.com',
      password,
      newPassword: 'seven amber gulls circling the pier',
    });
    operatorToken = login.body.accessToken;
  }, 120_000);
  afterAll(async () => {
    for (const s of services) s.child.kill('SIGTERM');
    await Promise.all(services.map((s) => s.exited));
    await t?.close();
  });

  it('sums requests, errors, latency and cold connects of both instances', async () => {
    const options = { token: w.tokens.admin, headers: tenantHeaders(w.slug) };
    const [a, b] = services;
    // What the setup's own requests (through the in-process app) already counted.
    const read = async () =>
      (await t.http.get(`/api/v1/operator/tenants/${w.slug}`, { token: operatorToken })).body.lastHour;
    const before = await read();
    for (let i = 0; i < 10; i++) expect((await a.http.get('/api/v1/users/me', options)).status).toBe(200);
    for (let i = 0; i < 7; i++) expect((await b.http.get('/api/v1/users/me', options)).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await b.http.get(`/api/v1/products/${NO_SUCH}`, options)).status).toBe(404);
    // Both instances write within their 200 ms; read until both have (bounded: 5 s, generous for a busy machine).
    let health: Record<string, unknown> = {};
    for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
      health = await read();
      if (health.requests === before.requests + 20) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(health).toMatchObject({
      requests: before.requests + 20,
      errors: before.errors + 3,
      limited: 0,
      unavailable: 0,
    });
    expect(health.coldConnects).toBeGreaterThanOrEqual(2);
    // Its recent errors: instance b's three 404s, by route pattern and problem code, never the id asked for.
    const detail = (await t.http.get(`/api/v1/operator/tenants/${w.slug}`, { token: operatorToken })).body;
    expect(detail.recentErrors.slice(0, 3)).toEqual(
      Array(3).fill({
        at: expect.any(String),
        method: 'GET',
        route: '/api/v1/products/:id',
        status: 404,
        code: 'PRODUCT_NOT_FOUND',
      }),
    );
    expect(JSON.stringify(detail.recentErrors)).not.toContain(NO_SUCH);
    expect(health.p50Ms).toEqual(expect.any(Number));
    expect(health.p99Ms as number).toBeGreaterThanOrEqual(health.p50Ms as number);
    // Prometheus: the tenant by name among the instance's busiest (METRICS_TOP_TENANTS, default 20).
    const metrics = await a.http.get('/metrics');
    expect(metrics.text).toContain(`tenant_requests_total{tenant="${w.slug}"} 10`);
    // The minutes hold what was written: the two services' 20 at least.
    expect(
      (health.perMinute as { requests: number }[]).reduce((n, m) => n + m.requests, 0),
    ).toBeGreaterThanOrEqual(20);
  }, 60_000);
});
