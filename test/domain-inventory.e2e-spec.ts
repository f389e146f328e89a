import { expectProblem } from './support/http.js';
import { TenantWorld } from './support/domain.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('inventory and purchasing rules', () => {
  let t: TestApp;
  let w: TenantWorld;
  let other: TenantWorld;

  beforeAll(async () => {
    // 50–100 requests at once to one tenant, serialised on one row: what is asserted is the rule (numbers,
    // stock), so the queue for the tenant's connections may take longer than the 1 s after which an
    // overloaded service answers 503 (that path is the engine-load spec's).
    t = await startTestApp({ TENANT_POOL_MAX: '10', TENANT_ACQUIRE_TIMEOUT_MS: '10000' });
    w = await TenantWorld.create(t, 'stock-co');
    other = await TenantWorld.create(t, 'other-co');
  }, 120_000);
  afterAll(() => t?.close());

  const level = async (productId: string, warehouseId: string) =>
    (await w.as('auditor').get(`/api/v1/stock-levels?productId=${productId}&warehouseId=${warehouseId}`)).body
      .data[0]?.quantity ?? 0;

  it('100 concurrent `out` of 1 on 50 in stock: exactly 50 succeed, 50 get 409, level 0', async () => {
    const product = await w.product();
    const warehouse = await w.warehouse();
    await w.stockIn(product.id, warehouse.id, 50);
    const replies = await Promise.all(
      Array.from({ length: 100 }, () =>
        w.as('staff').post('/api/v1/stock-movements', {
          productId: product.id,
          warehouseId: warehouse.id,
          type: 'out',
          quantity: 1,
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(50);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(50);
    for (const r of refused) expectProblem(r, 409, 'INSUFFICIENT_STOCK');
    expect(await level(product.id, warehouse.id)).toBe(0);
  });

  it('20 concurrent transfers back and forth keep the total constant, both sides or neither', async () => {
    const product = await w.product();
    const [a, b] = [await w.warehouse(), await w.warehouse()];
    await w.stockIn(product.id, a.id, 10);
    await w.stockIn(product.id, b.id, 10);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.as('staff').post('/api/v1/stock-movements', {
          productId: product.id,
          warehouseId: i % 2 ? a.id : b.id,
          toWarehouseId: i % 2 ? b.id : a.id,
          type: 'transfer',
          quantity: 3 + (i % 5),
        }),
      ),
    );
    for (const r of replies) expect([201, 409]).toContain(r.status);
    expect((await level(product.id, a.id)) + (await level(product.id, b.id))).toBe(20);
    // A transfer larger than the source holds moves nothing.
    const tooMuch = await w.as('staff').post('/api/v1/stock-movements', {
      productId: product.id,
      warehouseId: a.id,
      toWarehouseId: b.id,
      type: 'transfer',
      quantity: 999,
    });
    expectProblem(tooMuch, 409, 'INSUFFICIENT_STOCK');
    expect((await level(product.id, a.id)) + (await level(product.id, b.id))).toBe(20);
  });

  it('validates movements, adjusts to a counted level and reports low stock', async () => {
    const product = await w.product({ reorderLevel: 5 });
    const warehouse = await w.warehouse();
    const post = (body: object) =>
      w
        .as('staff')
        .post('/api/v1/stock-movements', { productId: product.id, warehouseId: warehouse.id, ...body });
    expectProblem(await post({ type: 'in', quantity: 0 }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ type: 'in', quantity: 1.5 }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ type: 'in', quantity: -3 }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ type: 'teleport', quantity: 3 }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ type: 'transfer', quantity: 3 }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ type: 'out', quantity: 1 }), 409, 'INSUFFICIENT_STOCK');
    expectProblem(
      await w.as('staff').post('/api/v1/stock-movements', {
        productId: product.id,
        warehouseId: '00000000-0000-4000-8000-000000000000',
        type: 'in',
        quantity: 1,
      }),
      404,
      'WAREHOUSE_NOT_FOUND',
    );
    expect((await post({ type: 'in', quantity: 20 })).status).toBe(201);
    expect((await post({ type: 'adjust', quantity: 4 })).status).toBe(201);
    expect(await level(product.id, warehouse.id)).toBe(4);
    const low = await w.as('auditor').get(`/api/v1/stock-levels/low?productId=${product.id}`);
    expect(low.body.data).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 4, reorderLevel: 5 }),
    ]);
    const movements = await w
      .as('auditor')
      .get(`/api/v1/stock-movements?productId=${product.id}&type=adjust`);
    expect(movements.body.data).toHaveLength(1);
  });

  it('keeps SKUs unique per tenant (409 SKU_TAKEN), money in integer minor units, soft deletes hidden', async () => {
    const p = await w.product({ sku: 'UNIQUE-1', priceCents: 1999 });
    expect(p.priceCents).toBe(1999);
    expectProblem(
      await w.as('admin').post('/api/v1/products', { sku: 'UNIQUE-1', name: 'Copy' }),
      409,
      'SKU_TAKEN',
    );
    expectProblem(
      await w.as('admin').post('/api/v1/products', { sku: 'X-1', name: 'Float', priceCents: 19.99 }),
      400,
      'VALIDATION_FAILED',
    );
    // Another tenant may use the same SKU.
    expect(
      (await other.as('admin').post('/api/v1/products', { sku: 'UNIQUE-1', name: 'Theirs' })).status,
    ).toBe(201);
    expect((await w.as('admin').delete(`/api/v1/products/${p.id}`)).status).toBe(204);
    expectProblem(await w.as('admin').get(`/api/v1/products/${p.id}`), 404, 'PRODUCT_NOT_FOUND');
    const list = await w.as('admin').get('/api/v1/products?q=UNIQUE');
    expect(list.body.data).toHaveLength(0);
    // After a soft delete the SKU is free again.
    expect((await w.as('admin').post('/api/v1/products', { sku: 'UNIQUE-1', name: 'Again' })).status).toBe(
      201,
    );
    const supplier = await w.supplier();
    const supplied = await w.product({ supplierId: supplier.id });
    const bySupplier = await w.as('staff').get(`/api/v1/products?supplierId=${supplier.id}`);
    expect(bySupplier.body.data.map((x: { id: string }) => x.id)).toEqual([supplied.id]);
  });

  it('runs a purchase request through its life; illegal transitions are 409', async () => {
    const product = await w.product();
    const warehouse = await w.warehouse();
    const pr = await w.created(
      w.as('staff').post('/api/v1/purchase-requests', {
        lines: [{ productId: product.id, quantity: 7, unitPriceCents: 250 }],
      }),
    );
    expect(pr).toMatchObject({ status: 'draft', number: expect.stringMatching(/^PR-\d{6}$/) });
    // A price comes back as it was sent: a number (issue 22; it used to be the string "250").
    expect(pr.lines[0].unitPriceCents).toBe(250);
    const act = (role: 'staff' | 'manager' | 'admin', step: string, body?: object) =>
      w.as(role).post(`/api/v1/purchase-requests/${pr.id}/${step}`, body);

    expectProblem(await act('manager', 'approve'), 409, 'INVALID_TRANSITION');
    expect(
      (
        await w
          .as('staff')
          .patch(`/api/v1/purchase-requests/${pr.id}`, { lines: [{ productId: product.id, quantity: 8 }] })
      ).status,
    ).toBe(200);
    expect((await act('staff', 'submit')).status).toBe(200);
    expectProblem(
      await w.as('staff').patch(`/api/v1/purchase-requests/${pr.id}`, { note: 'late edit' }),
      409,
      'INVALID_TRANSITION',
    );
    expectProblem(await act('staff', 'submit'), 409, 'INVALID_TRANSITION');
    expect((await act('manager', 'approve')).body).toMatchObject({
      status: 'approved',
      approverId: w.ids.manager,
    });
    expectProblem(await act('manager', 'receive', { warehouseId: warehouse.id }), 409, 'INVALID_TRANSITION');
    expect((await act('manager', 'order')).status).toBe(200);
    const received = await act('manager', 'receive', { warehouseId: warehouse.id });
    expect(received.body).toMatchObject({ status: 'received', receivedWarehouseId: warehouse.id });
    expect(await level(product.id, warehouse.id)).toBe(8);
    expectProblem(await act('manager', 'receive', { warehouseId: warehouse.id }), 409, 'INVALID_TRANSITION');
    expect(await level(product.id, warehouse.id)).toBe(8);
  });

  it('refuses self-approval with 409 SELF_APPROVAL', async () => {
    const product = await w.product();
    const pr = await w.created(
      w.as('manager').post('/api/v1/purchase-requests', { lines: [{ productId: product.id, quantity: 1 }] }),
    );
    await w.as('manager').post(`/api/v1/purchase-requests/${pr.id}/submit`);
    expectProblem(
      await w.as('manager').post(`/api/v1/purchase-requests/${pr.id}/approve`),
      409,
      'SELF_APPROVAL',
    );
    expect(
      (await w.as('admin').post(`/api/v1/purchase-requests/${pr.id}/reject`, { reason: 'no' })).body,
    ).toMatchObject({
      status: 'rejected',
      rejectionReason: 'no',
    });
  });

  it('gives 50 concurrent creations 50 distinct consecutive numbers', async () => {
    const product = await w.product();
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        w.as('staff').post('/api/v1/purchase-requests', { lines: [{ productId: product.id, quantity: 1 }] }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = replies.map((r) => Number(r.body.number.slice(3))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers[49] - numbers[0]).toBe(49);
    // A failed creation (unknown product) gives its number back: the next one follows on.
    expectProblem(
      await w.as('staff').post('/api/v1/purchase-requests', {
        lines: [{ productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }],
      }),
      404,
      'PRODUCT_NOT_FOUND',
    );
    const next = await w.created(
      w.as('staff').post('/api/v1/purchase-requests', { lines: [{ productId: product.id, quantity: 1 }] }),
    );
    expect(Number(next.number.slice(3))).toBe(numbers[49] + 1);
  });

  it('answers another tenant’s ids with 404, never the row', async () => {
    const product = await w.product();
    const pr = await w.purchaseRequest();
    const item = await w.item();
    expectProblem(await other.as('admin').get(`/api/v1/products/${product.id}`), 404, 'PRODUCT_NOT_FOUND');
    expectProblem(
      await other.as('admin').get(`/api/v1/purchase-requests/${pr.id}`),
      404,
      'PURCHASE_REQUEST_NOT_FOUND',
    );
    expectProblem(await other.as('admin').get(`/api/v1/items/${item.id}`), 404, 'ITEM_NOT_FOUND');
    expectProblem(
      await other.as('admin').patch(`/api/v1/products/${product.id}`, { name: 'hijack' }),
      404,
      'PRODUCT_NOT_FOUND',
    );
    expectProblem(await other.as('admin').delete(`/api/v1/items/${item.id}`), 404, 'ITEM_NOT_FOUND');
    expect((await w.as('admin').get(`/api/v1/products/${product.id}`)).body.name).not.toBe('hijack');
  });
});
