import { expectProblem } from './support/http.js';
import { TenantWorld } from './support/domain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Issue 22: receiving a purchase request — its decisions, its movements, a delivery split by line. */
describe('receiving purchase requests', () => {
  let t: TestApp;
  let w: TenantWorld;
  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'receiving-co');
  }, 60_000);
  afterAll(() => t?.close());

  const level = async (productId: string, warehouseId: string) =>
    (await w.as('auditor').get(`/api/v1/stock-levels?productId=${productId}&warehouseId=${warehouseId}`)).body
      .data[0]?.quantity ?? 0;

  it('records each decision, and writes receipts as `in` movements: the ledger sums to the level (issue 22)', async () => {
    const product = await w.product();
    const warehouse = await w.warehouse();
    await w.stockIn(product.id, warehouse.id, 4);
    const pr = await w.created(
      w.as('staff').post('/api/v1/purchase-requests', {
        lines: [{ productId: product.id, quantity: 7 }],
      }),
    );
    // A body-less POST as most HTTP clients send it: `Content-Type: application/json`, an empty body.
    const submitted = await t.http.post(`/api/v1/purchase-requests/${pr.id}/submit`, undefined, {
      token: w.tokens.staff,
      headers: { 'x-tenant': w.slug, 'content-type': 'application/json' },
      raw: '',
    });
    expect(submitted.status).toBe(200);
    for (const [step, role] of [
      ['approve', 'manager'],
      ['order', 'manager'],
    ] as const)
      expect((await w.as(role).post(`/api/v1/purchase-requests/${pr.id}/${step}`)).status).toBe(200);
    const received = await w.as('manager').post(`/api/v1/purchase-requests/${pr.id}/receive`, {
      warehouseId: warehouse.id,
    });
    expect(received.status).toBe(200);
    // Each decision with its time and, where a person answers for it, who took it.
    const at = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    expect(received.body).toMatchObject({
      submittedAt: at,
      approvedAt: at,
      approvedBy: w.ids.manager,
      orderedAt: at,
      receivedAt: at,
      receivedBy: w.ids.manager,
      rejectedAt: null,
      rejectedBy: null,
    });
    const moves = (
      await w
        .as('auditor')
        .get(`/api/v1/stock-movements?productId=${product.id}&warehouseId=${warehouse.id}&limit=100`)
    ).body.data as { type: string; quantity: number; reference: string | null }[];
    expect(moves).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'in', quantity: 7, reference: pr.number })]),
    );
    const ledger = moves.reduce((sum, m) => sum + (m.type === 'in' ? m.quantity : -m.quantity), 0);
    expect(ledger).toBe(11);
    expect(await level(product.id, warehouse.id)).toBe(11);
    const events = (await w.as('auditor').get('/api/v1/events/log?type=stock.moved&limit=5')).body.data as {
      data: { productId: string; quantity: number };
    }[];
    expect(events.some((e) => e.data.productId === product.id && e.data.quantity === 7)).toBe(true);
  });

  it('receives a delivery split across warehouses, line by line (issue 22)', async () => {
    const [p1, p2] = [await w.product(), await w.product()];
    const [a, b] = [await w.warehouse(), await w.warehouse()];
    const pr = await w.created(
      w.as('staff').post('/api/v1/purchase-requests', {
        lines: [
          { productId: p1.id, quantity: 2 },
          { productId: p2.id, quantity: 5 },
        ],
      }),
    );
    for (const [step, role] of [
      ['submit', 'staff'],
      ['approve', 'manager'],
      ['order', 'manager'],
    ] as const)
      expect((await w.as(role).post(`/api/v1/purchase-requests/${pr.id}/${step}`)).status).toBe(200);
    const second = pr.lines.find((l: { productId: string }) => l.productId === p2.id);
    const receive = (body: object) =>
      w.as('manager').post(`/api/v1/purchase-requests/${pr.id}/receive`, body);
    expectProblem(
      await receive({
        warehouseId: a.id,
        lines: [{ lineId: '00000000-0000-4000-8000-000000000000', warehouseId: b.id }],
      }),
      400,
      'VALIDATION_FAILED',
    );
    const received = await receive({ warehouseId: a.id, lines: [{ lineId: second.id, warehouseId: b.id }] });
    expect(received.status).toBe(200);
    expect(received.body.receivedWarehouseId).toBe(a.id);
    expect([await level(p1.id, a.id), await level(p2.id, a.id), await level(p2.id, b.id)]).toEqual([2, 0, 5]);
  });
});
