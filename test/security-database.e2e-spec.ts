import jwt from 'jsonwebtoken';
import pg from 'pg';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { CORE_JWT } from '../src/core/auth/core-jwt.constants.js';
import { TENANT_JWT, tenantSigningKey } from '../src/tenant/auth/tenant-jwt.constants.js';
import { tenantDatabaseUrl } from '../src/tenancy/tenant-identity.js';
import { TenantWorld } from './support/domain.js';
import { expectProblem } from './support/http.js';
import { queryServer, tenantHeaders } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Issue 9, finding 12 (the parts built so far): core closed to tenant roles, `exp` required, live products only. */
describe('security: defence in depth', () => {
  let t: TestApp;
  let w: TenantWorld;
  let tenantId: string;
  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'depth-co');
    [{ id: tenantId }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
  });
  afterAll(() => t?.close());

  it("refuses a tenant role's connection to the core database", async () => {
    const tenantUrl = new URL(tenantDatabaseUrl(t.coreUrl, tenantId, t.config.tenants.dbSecret));
    const own = new pg.Client({ connectionString: tenantUrl.toString() });
    await own.connect(); // its own database: yes
    await own.end();
    const core = new pg.Client({ connectionString: withDatabase(tenantUrl.toString(), t.coreDatabase) });
    core.on('error', () => undefined);
    await expect(core.connect()).rejects.toThrow(/permission denied/);
  });

  it('refuses access tokens without exp in both contexts', async () => {
    const tenantToken = jwt.sign(
      { typ: TENANT_JWT.type, tid: tenantId },
      tenantSigningKey(t.config.jwt.tenantSecret, tenantId),
      {
        algorithm: 'HS256',
        audience: TENANT_JWT.audience,
        issuer: TENANT_JWT.issuer,
        subject: w.ids.admin,
      },
    );
    expectProblem(
      await t.http.get('/api/v1/users/me', { token: tenantToken, headers: tenantHeaders(w.slug) }),
      401,
      'INVALID_TOKEN',
    );
    const coreToken = jwt.sign({ typ: CORE_JWT.type, iat: Date.now() / 1000 }, t.config.jwt.coreSecret, {
      algorithm: 'HS256',
      audience: CORE_JWT.audience,
      issuer: CORE_JWT.issuer,
      subject: w.owner.id,
    });
    expectProblem(await t.http.get('/api/v1/core/me', { token: coreToken }), 401, 'INVALID_TOKEN');
  });

  it('refuses a purchase-request line of a soft-deleted product (404 PRODUCT_NOT_FOUND)', async () => {
    const product = await w.product();
    expect((await w.as('admin').delete(`/api/v1/products/${product.id}`)).status).toBe(204);
    expectProblem(
      await w
        .as('staff')
        .post('/api/v1/purchase-requests', { lines: [{ productId: product.id, quantity: 1 }] }),
      404,
      'PRODUCT_NOT_FOUND',
    );
  });
});
