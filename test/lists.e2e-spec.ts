import { expectProblem } from './support/http.js';
import { TenantWorld } from './support/domain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Issue 22: every list takes `?includeTotal=true`; time-ordered lists take `?order=asc|desc`. */
describe('list order and totals', () => {
  let t: TestApp;
  let w: TenantWorld;
  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'lists-co');
  }, 60_000);
  afterAll(() => t?.close());

  it('pages products newest first with ?order=desc, with a total on every page', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await w.product()).id);
    const first = await w.as('auditor').get('/api/v1/products?order=desc&limit=2&includeTotal=true');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.data.map((p: { id: string }) => p.id)).toEqual([made[2], made[1]]);
    const second = await w
      .as('auditor')
      .get(`/api/v1/products?order=desc&limit=2&includeTotal=true&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ total: 3, nextCursor: null });
    expect(second.body.data.map((p: { id: string }) => p.id)).toEqual([made[0]]);
    const plain = await w.as('auditor').get('/api/v1/products?limit=2');
    expect(plain.body.total).toBeUndefined();
    expect(plain.body.data.map((p: { id: string }) => p.id)).toEqual([made[0], made[1]]);
    // A cursor carries its order: one of the newest-first list does not page the oldest-first one.
    const mixed = await w.as('auditor').get(`/api/v1/products?limit=2&cursor=${first.body.nextCursor}`);
    expectProblem(mixed, 400, 'VALIDATION_FAILED');
    expect(mixed.body.detail).toMatch(/desc order, not asc/);
    expect(mixed.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('orders the event log oldest first on request, and counts it', async () => {
    const product = await w.product();
    const warehouse = await w.warehouse();
    for (const quantity of [1, 2, 3]) await w.stockIn(product.id, warehouse.id, quantity);
    const asc = await w.as('auditor').get('/api/v1/events/log?type=stock.moved&order=asc&includeTotal=true');
    expect(asc.body.total).toBe(3);
    expect(asc.body.data.map((e: { data: { quantity: number } }) => e.data.quantity)).toEqual([1, 2, 3]);
    const desc = await w.as('auditor').get('/api/v1/events/log?type=stock.moved');
    expect(desc.body.data.map((e: { data: { quantity: number } }) => e.data.quantity)).toEqual([3, 2, 1]);
    const firstAsc = await w.as('auditor').get('/api/v1/events/log?type=stock.moved&order=asc&limit=1');
    const next = await w
      .as('auditor')
      .get(`/api/v1/events/log?type=stock.moved&order=asc&limit=1&cursor=${firstAsc.body.nextCursor}`);
    expect(next.body.data.map((e: { data: { quantity: number } }) => e.data.quantity)).toEqual([2]);
    expectProblem(
      await w.as('auditor').get(`/api/v1/events/log?type=stock.moved&cursor=${firstAsc.body.nextCursor}`),
      400,
      'VALIDATION_FAILED',
    );
    // Stock levels carry the product's name, and count too.
    const levels = await w.as('staff').get(`/api/v1/stock-levels?productId=${product.id}&includeTotal=true`);
    expect(levels.body).toMatchObject({ total: 1, data: [{ productName: product.name, quantity: 6 }] });
  });

  it('gives products a description and a category, and filters by category (issue 22)', async () => {
    const apple = await w.product({ description: 'Crisp, from the valley.', category: 'fruit' });
    await w.product({ category: 'tools' });
    expect(apple).toMatchObject({ description: 'Crisp, from the valley.', category: 'fruit' });
    const fruit = await w.as('staff').get('/api/v1/products?category=fruit&includeTotal=true');
    expect(fruit.body.total).toBe(1);
    expect(fruit.body.data.map((p: { id: string }) => p.id)).toEqual([apple.id]);
    const plain = await w.product();
    expect(plain).toMatchObject({ description: '', category: null });
  });

  it('refuses an order or a total it does not know', async () => {
    expectProblem(await w.as('auditor').get('/api/v1/products?order=sideways'), 400, 'VALIDATION_FAILED');
    expectProblem(
      await w.as('auditor').get('/api/v1/audit-logs?includeTotal=maybe'),
      400,
      'VALIDATION_FAILED',
    );
  });
});
