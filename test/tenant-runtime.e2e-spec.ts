import { tenantIdentity, TenantConnectionRegistry, TenantRunner } from '../src/tenancy/index.js';
import { UserService } from '../src/tenant/users/user.service.js';
import { testServerUrl } from './support/servers.js';
import { adminToken, onboard, Owner, queryServer, tenantHeaders, verifiedOwner } from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('tenant runtime: roles, runner, idle reaping, metrics, shutdown', () => {
  let t: TestApp;
  let owner: Owner;
  let org: { id: string; slug: string };

  beforeAll(async () => {
    t = await startTestApp({ TENANT_IDLE_MS: '1000' });
    owner = await verifiedOwner(t, 'rt@example.com');
    org = await onboard(t, owner, 'run-time');
  });
  afterAll(() => t?.close());

  it('runs code in a tenant’s context outside HTTP, connected as the tenant’s own role', async () => {
    const runner = t.app.get(TenantRunner);
    const who = await runner.run('run-time', (ctx) =>
      ctx.run(async (m) => (await m.query('SELECT current_user AS u, current_database() AS d'))[0]),
    );
    expect(who).toEqual({ u: tenantIdentity(org.id).role, d: tenantIdentity(org.id).dbName });
    // Inside run(), the services that use TenantConnectionManager work on that tenant, as in a request.
    const page = await runner.run('run-time', () => t.app.get(UserService).list({ limit: 10 }));
    expect(page.data.map((u) => u.email)).toEqual([owner.email]);
  });

  it('closes a tenant’s idle connections after TENANT_IDLE_MS', async () => {
    const registry = t.app.get(TenantConnectionRegistry);
    const token = await adminToken(t, owner, 'run-time');
    expect((await t.http.get('/api/v1/users/me', { token, headers: tenantHeaders('run-time') })).status).toBe(
      200,
    );
    expect(registry.held(org.id)).toBeGreaterThan(0);
    for (let i = 0; i < 40 && registry.held(org.id) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(registry.held(org.id)).toBe(0);
    const metrics = (await t.http.get('/metrics')).text;
    expect(metrics).toMatch(/tenant_connections_closed_total\{reason="idle"\} [1-9]/);
    for (const name of [
      'tenant_connection_budget',
      'tenant_connections_open',
      'tenant_connections_in_use',
      'tenant_connections_idle',
      'tenant_connection_waiting_requests',
      'tenant_connection_open_seconds_bucket',
      'tenant_connection_wait_seconds_bucket',
      'tenant_connection_timeouts_total',
      'tenant_onboarding_seconds_bucket',
    ]) {
      expect(metrics).toContain(name);
    }
    // It comes back on the next request.
    expect((await t.http.get('/api/v1/users/me', { token, headers: tenantHeaders('run-time') })).status).toBe(
      200,
    );
  });

  it('closes every tenant connection on shutdown', async () => {
    const role = tenantIdentity(org.id).role;
    const open = () =>
      queryServer(testServerUrl(), 'SELECT 1 FROM pg_stat_activity WHERE usename = $1', [role]);
    expect((await open()).length).toBeGreaterThan(0);
    await t.app.close();
    expect(await open()).toHaveLength(0);
    // Let afterAll's close() drop the databases without closing twice.
    t.app.close = async () => undefined;
  });
});
