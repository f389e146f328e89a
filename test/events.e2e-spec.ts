import { TenantWorld } from './support/domain.js';
import { expectProblem } from './support/http.js';
import { SseClient } from './support/sse.js';
import { queryServer, tenantDatabaseAdminUrl, tenantHeaders } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Issue 13, events: acceptance 1, and what a stream and the log carry. */
describe('tenant events', () => {
  let one: TestApp;
  let two: TestApp;
  let a: TenantWorld;
  let b: TenantWorld;
  const open: SseClient[] = [];
  const stream = async (t: TestApp, w: TenantWorld, headers: Record<string, string> = {}) => {
    const client = await SseClient.open(`${t.baseUrl}/api/v1/events`, {
      authorization: `Bearer ${w.tokens.auditor}`,
      ...tenantHeaders(w.slug),
      ...headers,
    });
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    one = await startTestApp();
    two = await startTestApp({ DATABASE_URL: one.coreUrl, EVENTS_HEARTBEAT_MS: '300' });
    a = await TenantWorld.create(one, 'events-a');
    b = await TenantWorld.create(one, 'events-b');
  }, 60_000);
  afterAll(async () => {
    open.forEach((c) => c.close());
    await two?.app.close();
    await one?.close();
  });

  it('delivers movements written through one instance to a stream on the other within 1 s, in order; the other tenant hears nothing', async () => {
    const warehouse = await a.warehouse();
    const product = await a.product();
    const onTwo = await stream(two, a);
    const otherTenant = await stream(two, b);
    expect(onTwo.status).toBe(200);
    const latencies: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await a.as('staff').post('/api/v1/stock-movements', {
        productId: product.id,
        warehouseId: warehouse.id,
        type: 'in',
        quantity: i,
      });
      expect(res.status).toBe(201);
      const written = Date.now();
      const [event] = (await onTwo.waitFor(i, 2000)).slice(-1);
      latencies.push(event.at - written);
      expect(event).toMatchObject({ type: 'stock.moved', data: { movementId: res.body.id, quantity: i } });
    }
    expect(Math.max(...latencies)).toBeLessThan(1000);
    const ids = onTwo.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(5);
    expect(otherTenant.events).toEqual([]);
    // Heartbeats (every 300 ms here) keep it open.
    for (let i = 0; i < 100 && otherTenant.comments === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(otherTenant.comments).toBeGreaterThan(0);
    expect(otherTenant.events).toEqual([]);
  });

  it('resumes with Last-Event-ID: exactly the missed events, no gap, no duplicate', async () => {
    const warehouse = await a.warehouse();
    const product = await a.product({ reorderLevel: 2 });
    const first = await stream(one, a);
    await a.stockIn(product.id, warehouse.id, 5);
    const [seen] = await first.waitFor(1);
    first.close();
    const missed: string[] = [];
    for (const quantity of [1, 2]) {
      const res = await a.as('staff').post('/api/v1/stock-movements', {
        productId: product.id,
        warehouseId: warehouse.id,
        type: 'out',
        quantity,
      });
      missed.push(res.body.id);
    }
    const pr = await a.purchaseRequest('submitted');
    const resumed = await stream(two, a, { 'last-event-id': String(seen.id) });
    // out 1 (5 → 4), out 2 (4 → 2: crossed into low), a draft created and submitted
    const events = await resumed.waitFor(5);
    await new Promise((r) => setTimeout(r, 500));
    expect(resumed.events.map((e) => e.type)).toEqual([
      'stock.moved',
      'stock.moved',
      'stock.low',
      'purchase-request.draft',
      'purchase-request.submitted',
    ]);
    expect(events[0].id).toBeGreaterThan(seen.id);
    expect(events.slice(0, 2).map((e) => e.data.movementId)).toEqual(missed);
    expect(events[2].data).toMatchObject({
      productId: product.id,
      warehouseId: warehouse.id,
      quantity: 2,
      reorderLevel: 2,
    });
    expect(events[4].data).toMatchObject({ id: pr.id, from: 'draft', to: 'submitted' });
  });

  it('writes no event for a change that rolled back', async () => {
    const warehouse = await a.warehouse();
    const product = await a.product();
    const listener = await stream(one, a);
    const refused = await a.as('staff').post('/api/v1/stock-movements', {
      productId: product.id,
      warehouseId: warehouse.id,
      type: 'out',
      quantity: 1,
    });
    expectProblem(refused, 409, 'INSUFFICIENT_STOCK');
    await a.stockIn(product.id, warehouse.id, 1);
    const [only] = await listener.waitFor(1);
    expect(only.data).toMatchObject({ type: 'in', productId: product.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(listener.events).toHaveLength(1);
  });

  it('lists past events newest first, paginated and filtered by type; refuses bad resume ids', async () => {
    const all = await a.as('auditor').get('/api/v1/events/log?limit=100');
    expect(all.status).toBe(200);
    const ids = all.body.data.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const tenantDb = await tenantDatabaseAdminUrl(one.coreUrl, a.slug);
    const [{ n }] = await queryServer<{ n: number }>(tenantDb, 'SELECT count(*)::int AS n FROM events');
    expect(all.body.data).toHaveLength(n);
    const page1 = await a.as('staff').get('/api/v1/events/log?type=stock.moved&limit=2');
    expect(page1.body.data.map((e: { type: string }) => e.type)).toEqual(['stock.moved', 'stock.moved']);
    const page2 = await a
      .as('staff')
      .get(`/api/v1/events/log?type=stock.moved&limit=2&cursor=${page1.body.nextCursor}`);
    expect(Number(page2.body.data[0].id)).toBeLessThan(Number(page1.body.data[1].id));
    expectProblem(await a.as('staff').get('/api/v1/events/log?type=nope'), 400, 'VALIDATION_FAILED');
    const bad = await SseClient.open(`${one.baseUrl}/api/v1/events`, {
      authorization: `Bearer ${a.tokens.staff}`,
      ...tenantHeaders(a.slug),
      'last-event-id': 'abc',
    });
    open.push(bad);
    expect(bad.status).toBe(400);
    const anonymous = await SseClient.open(`${one.baseUrl}/api/v1/events`, tenantHeaders(a.slug));
    open.push(anonymous);
    expect(anonymous.status).toBe(401);
    // The event log is append-only for the service's own role.
    const login = await queryServer<{ ok: boolean }>(
      tenantDb,
      `SELECT has_table_privilege(r.rolname, 'events', 'UPDATE') AS ok FROM pg_roles r
        WHERE r.rolname = current_database()`,
    );
    expect(login).toEqual([{ ok: false }]);
  });
});
