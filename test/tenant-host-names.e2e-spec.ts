import http from 'node:http';
import { TenantWorld } from './support/domain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** GET `path` with a Host header of our choosing (fetch does not let a client set Host). */
function getAs(base: string, host: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
      );
    });
    req.on('error', reject);
  });
}

/** Issue 22: with TENANT_HOST_SUFFIX, `<slug><suffix>` names the tenant; a header that disagrees is 400. */
describe('tenants by host name', () => {
  let t: TestApp;
  let w: TenantWorld;
  beforeAll(async () => {
    t = await startTestApp({ TENANT_HOST_SUFFIX: '.app.example.test' });
    w = await TenantWorld.create(t, 'host-co');
  }, 60_000);
  afterAll(() => t?.close());

  it('routes by the host without the header, and refuses a header that names another tenant', async () => {
    const auth = { authorization: `Bearer ${w.tokens.staff}` };
    const byHost = await getAs(t.baseUrl, 'host-co.app.example.test:8080', '/api/v1/users/me', auth);
    expect([byHost.status, byHost.body.role]).toEqual([200, 'staff']);
    const agreeing = await getAs(t.baseUrl, 'host-co.app.example.test', '/api/v1/users/me', {
      ...auth,
      'x-tenant': 'host-co',
    });
    expect(agreeing.status).toBe(200);
    const other = await getAs(t.baseUrl, 'host-co.app.example.test', '/api/v1/users/me', {
      ...auth,
      'x-tenant': 'someone-else',
    });
    expect([other.status, other.body.code]).toEqual([400, 'TENANT_HEADER_INVALID']);
    expect(other.body.detail).toMatch(/names another organization than the host name/);
    // A fully qualified host name (its trailing dot) is the same host.
    const qualified = await getAs(t.baseUrl, 'host-co.app.example.test.', '/api/v1/users/me', auth);
    expect([qualified.status, qualified.body.role]).toEqual([200, 'staff']);
    const unknown = await getAs(t.baseUrl, 'nobody-here.app.example.test', '/api/v1/users/me', auth);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    // Another host: the header alone, as without the suffix.
    const plain = await getAs(t.baseUrl, '127.0.0.1', '/api/v1/users/me', { ...auth, 'x-tenant': 'host-co' });
    expect(plain.status).toBe(200);
    const none = await getAs(t.baseUrl, '127.0.0.1', '/api/v1/users/me', auth);
    expect([none.status, none.body.code]).toEqual([400, 'TENANT_HEADER_MISSING']);
  });
});
