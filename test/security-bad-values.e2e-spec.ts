import { expectProblem } from './support/http.js';
import { TenantWorld } from './support/domain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const cursor = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Issue 9, finding 8: the exact inputs that answered 500 now get a 4xx. The fuzz spec covers the class. */
describe('security: values that used to reach Postgres as errors', () => {
  let t: TestApp;
  let w: TenantWorld;
  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'bad-values');
  });
  afterAll(() => t?.close());

  it.each(['2026-02-30', '0000-01-01', '2026-13-01T00:00:00Z', '2026-01-01T25:00:00Z'])(
    'refuses the impossible date %s with 400 VALIDATION_FAILED',
    async (date) => {
      for (const path of ['/api/v1/stock-movements', '/api/v1/audit-logs'])
        expectProblem(await w.as('admin').get(`${path}?from=${date}`), 400, 'VALIDATION_FAILED');
    },
  );

  it('refuses a price that is not a JSON integer (a boolean, a string, hex) with 400, on create and on change', async () => {
    const product = await w.product();
    for (const priceCents of [true, false, '', '0x10', ' 5 ', '1e2', '250']) {
      const create = await w
        .as('admin')
        .post('/api/v1/products', { sku: `P-${String(priceCents)}`, name: 'x', priceCents });
      expectProblem(create, 400, 'VALIDATION_FAILED');
      expectProblem(
        await w.as('admin').patch(`/api/v1/products/${product.id}`, { priceCents }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect(
      (await w.as('admin').patch(`/api/v1/products/${product.id}`, { priceCents: 250 })).body.priceCents,
    ).toBe(250);
  });

  it('refuses null for a property that cannot be null (400, not a 500 from the column), on create and on change', async () => {
    const admin = w.as('admin');
    const [product, supplier, warehouse, item] = [
      await w.product(),
      await w.supplier(),
      await w.warehouse(),
      await w.item(),
    ];
    const staff = (await admin.get('/api/v1/users/me')).body.id;
    const cases: [string, string, object][] = [
      ...['description', 'priceCents', 'reorderLevel', 'category'].flatMap(
        (key): [string, string, object][] =>
          key === 'category'
            ? []
            : [['post', '/api/v1/products', { sku: `N-${key}`, name: 'x', [key]: null }]],
      ),
      ...['name', 'sku', 'description', 'priceCents', 'reorderLevel'].map((key): [string, string, object] => [
        'patch',
        `/api/v1/products/${product.id}`,
        { [key]: null },
      ]),
      ['patch', `/api/v1/suppliers/${supplier.id}`, { name: null }],
      ['patch', `/api/v1/warehouses/${warehouse.id}`, { name: null }],
      ...['title', 'body', 'tags'].map((key): [string, string, object] => [
        'patch',
        `/api/v1/items/${item.id}`,
        { [key]: null },
      ]),
      ...['name', 'role', 'isActive'].map((key): [string, string, object] => [
        'patch',
        `/api/v1/users/${staff}`,
        { [key]: null },
      ]),
      [
        'post',
        '/api/v1/purchase-requests',
        { lines: [{ productId: product.id, quantity: 1, unitPriceCents: null }] },
      ],
    ];
    for (const [method, path, body] of cases) {
      const res = method === 'post' ? await admin.post(path, body) : await admin.patch(path, body);
      expect([method, path, body, res.status, res.body.code]).toEqual([
        method,
        path,
        body,
        400,
        'VALIDATION_FAILED',
      ]);
    }
    // Where null means something, it is still taken: a product's category is cleared by null.
    const cleared = await admin.patch(`/api/v1/products/${product.id}`, { category: null });
    expect([cleared.status, cleared.body.category]).toEqual([200, null]);
  });

  it('refuses a body on a route that takes none (400), and takes an empty one', async () => {
    for (const body of [{ x: 1 }, [], 'x', 0, true]) {
      const pr = await w.purchaseRequest('draft', 'staff');
      const res = await t.http.post(`/api/v1/purchase-requests/${pr.id}/submit`, body as object, {
        token: w.tokens.staff,
        headers: { 'x-tenant': w.slug },
      });
      expect([JSON.stringify(body), res.status, res.body.code]).toEqual([
        JSON.stringify(body),
        400,
        'VALIDATION_FAILED',
      ]);
    }
    const pr = await w.purchaseRequest('draft', 'staff');
    for (const body of [{}, undefined]) {
      const res = await t.http.post(`/api/v1/purchase-requests/${pr.id}/submit`, body, {
        token: w.tokens.staff,
        headers: { 'x-tenant': w.slug },
      });
      expect(res.status).toBeLessThan(500);
      expect(res.body.code).not.toBe('VALIDATION_FAILED');
    }
  });

  it('refuses a destination warehouse on a movement that is not a transfer, and names the content types taken', async () => {
    const [product, from, to] = [await w.product(), await w.warehouse(), await w.warehouse()];
    const move = { productId: product.id, warehouseId: from.id, toWarehouseId: to.id, quantity: 1 };
    for (const type of ['in', 'out', 'adjust'])
      expectProblem(
        await w.as('admin').post('/api/v1/stock-movements', { ...move, type }),
        400,
        'VALIDATION_FAILED',
      );
    const text = await t.http.post('/api/v1/files', undefined, {
      token: w.tokens.admin,
      headers: { 'x-tenant': w.slug, 'content-type': 'text/plain' },
      raw: 'hello',
    });
    expectProblem(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(text.body.detail).toContain('multipart');
  });

  it('refuses crafted cursors with 400 VALIDATION_FAILED naming the cursor', async () => {
    const uuid = '3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
    const cases: [string, string][] = [
      ['/api/v1/items', cursor({ t: '2026-13-45 99:99:99+00', i: uuid, o: 'asc' })],
      ['/api/v1/items', cursor({ t: '2026-01-01 00:00:00+00', i: '-'.repeat(36), o: 'asc' })],
      ['/api/v1/items?q=valve', cursor({ r: 1e308, i: uuid })],
      ['/api/v1/stock-levels', cursor({ p: uuid, w: '-'.repeat(36) })],
    ];
    for (const [path, c] of cases) {
      const sep = path.includes('?') ? '&' : '?';
      expectProblem(await w.as('admin').get(`${path}${sep}cursor=${c}`), 400, 'VALIDATION_FAILED');
    }
  });

  it('answers a stock level that would overflow with 409 QUANTITY_OUT_OF_RANGE and keeps the level', async () => {
    const product = await w.product();
    const warehouse = await w.warehouse();
    const move = () =>
      w.as('admin').post('/api/v1/stock-movements', {
        productId: product.id,
        warehouseId: warehouse.id,
        type: 'in',
        quantity: 1_000_000_000,
      });
    expect((await move()).status).toBe(201);
    expect((await move()).status).toBe(201);
    expectProblem(await move(), 409, 'QUANTITY_OUT_OF_RANGE');
    const levels = await w.as('admin').get(`/api/v1/stock-levels?productId=${product.id}`);
    expect(levels.body.data[0].quantity).toBe(2_000_000_000);
  });

  it('refuses the NUL character, which Postgres text cannot hold, in bodies and in URLs (the fuzz found it)', async () => {
    expectProblem(await w.as('staff').post('/api/v1/items', { title: 'a\u0000b' }), 400, 'MALFORMED_JSON');
    for (const path of ['/api/v1/items?q=%00', '/api/v1/products?q=a%00b', '/api/v1/users/%00'])
      expectProblem(await w.as('admin').get(path), 400, 'BAD_REQUEST');
    expect((await w.as('staff').post('/api/v1/items', { title: 'fine' })).status).toBe(201);
  });
});
