import { TenantWorld } from './support/domain.js';
import { queryServer, tenantHeaders } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { testServerUrl } from './support/servers.js';

/** Issue 9, findings 7, 11 and 13, in the production configuration. */
describe('security: headers, public endpoints, request ids, client IPs, CSV cells', () => {
  let t: TestApp;
  let w: TenantWorld;

  beforeAll(async () => {
    t = await startTestApp(PRODUCTION_ENV);
    w = await TenantWorld.create(t, 'sec-http');
  });
  afterAll(() => t?.close());

  it('sends the protective headers on every reply, and no-store on authenticated ones', async () => {
    for (const res of [await t.http.get('/health/live'), await w.as('staff').get('/api/v1/users/me')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    }
    expect((await w.as('staff').get('/api/v1/users/me')).headers.get('cache-control')).toBe('no-store');
    expect((await t.http.get('/health/live')).headers.get('cache-control')).not.toBe('no-store');
  });

  it('hides /metrics, /docs and /docs-json in production (404), and sends no CORS headers by default', async () => {
    for (const path of ['/metrics', '/docs', '/docs-json']) expect((await t.http.get(path)).status).toBe(404);
    const res = await t.http.get('/health/live', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps a well-formed X-Request-Id and replaces anything else', async () => {
    const create = (id: string) =>
      t.http.post(
        '/api/v1/items',
        { title: 'traced' },
        { token: w.tokens.staff, headers: { ...tenantHeaders(w.slug), 'x-request-id': id } },
      );
    const kept = await create('trace-42.a_b');
    expect(kept.headers.get('x-request-id')).toBe('trace-42.a_b');
    const forged = await create('=HYPERLINK("https://evil.example","x")');
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const log = await w.as('admin').get(`/api/v1/audit-logs?entity=item&entityId=${forged.body.id}`);
    expect(log.body.data[0].requestId).toBe(forged.headers.get('x-request-id'));
  });

  it('neutralises formula cells in the CSV export', async () => {
    const [{ id }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
    const tenantDb = withDatabase(testServerUrl(), tenantIdentity(id).dbName);
    // A row from before request ids were checked.
    await queryServer(
      tenantDb,
      `INSERT INTO audit_logs (actor_id, action, entity, entity_id, changes, request_id)
       VALUES ($1, 'legacy', 'csv_test', gen_random_uuid(), '{}', '=HYPERLINK("https://evil.example")')`,
      [w.ids.admin],
    );
    const res = await w.as('admin').get('/api/v1/audit-logs/export.csv?entity=csv_test');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`'=HYPERLINK`);
    expect(res.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});

describe('security: the opt-ins (METRICS_TOKEN, DOCS_ENABLED, CORS_ORIGINS, TRUST_PROXY)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      ...PRODUCTION_ENV,
      METRICS_TOKEN: 'metrics-token-0123456789',
      DOCS_ENABLED: 'true',
      CORS_ORIGINS: 'https://app.example, https://admin.example',
      TRUST_PROXY: '10.0.0.0/8',
    });
  });
  afterAll(() => t?.close());

  it('serves /metrics only with the bearer token', async () => {
    expect((await t.http.get('/metrics')).status).toBe(404);
    expect(
      (await t.http.get('/metrics', { headers: { authorization: 'Bearer wrong-token-000000000' } })).status,
    ).toBe(404);
    const ok = await t.http.get('/metrics', {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('tenant_connection_open_seconds');
  });

  it('serves the docs when enabled', async () => {
    expect((await t.http.get('/docs-json')).status).toBe(200);
  });

  it('answers CORS only for the configured origins', async () => {
    const allowed = await t.http.get('/health/live', { headers: { origin: 'https://admin.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example');
    const other = await t.http.get('/health/live', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a TRUST_PROXY that is neither a hop count nor addresses', async () => {
    await expect(startTestApp({ ...PRODUCTION_ENV, TRUST_PROXY: 'everyone' })).rejects.toThrow(/TRUST_PROXY/);
  });
});
