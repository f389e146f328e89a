import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import pg from 'pg';
import { expectProblem } from './support/http.js';
import { TenantWorld } from './support/domain.js';
import { PASSWORD, queryServer } from './support/tenants.js';
import { heapAfterGc, rssMb, startService } from './support/service.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('items, full-text search and the audit log', () => {
  let t: TestApp;
  let w: TenantWorld;
  let tenantDb: string;

  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'audit-co');
    const [row] = await queryServer<{ db_name: string }>(
      t.coreUrl,
      `SELECT db_name FROM organizations WHERE slug = 'audit-co'`,
    );
    tenantDb = new URL(`/${row.db_name}`, t.coreUrl).toString();
  }, 120_000);
  afterAll(() => t?.close());

  it('finds "red apples" and "green apple pie" for ?q=apple, ranked, and filters by tag', async () => {
    const red = await w.created(
      w.as('staff').post('/api/v1/items', {
        title: 'Red apples',
        body: 'Crisp apples from the orchard, apples galore',
        tags: ['fruit'],
      }),
    );
    const pie = await w.created(
      w.as('staff').post('/api/v1/items', { title: 'Green apple pie', body: 'A dessert', tags: ['dessert'] }),
    );
    await w.created(
      w.as('staff').post('/api/v1/items', { title: 'Bananas', body: 'yellow', tags: ['fruit'] }),
    );
    const res = await w.as('auditor').get('/api/v1/items?q=apple');
    expect(res.status).toBe(200);
    expect(res.body.data.map((i: { id: string }) => i.id)).toEqual([red.id, pie.id]);
    expect(res.body.data[0].rank).toBeGreaterThan(res.body.data[1].rank);
    const paged = await w.as('auditor').get('/api/v1/items?q=apple&limit=1');
    expect(paged.body.data.map((i: { id: string }) => i.id)).toEqual([red.id]);
    const page2 = await w.as('auditor').get(`/api/v1/items?q=apple&limit=1&cursor=${paged.body.nextCursor}`);
    expect(page2.body.data.map((i: { id: string }) => i.id)).toEqual([pie.id]);
    const fruit = await w.as('auditor').get('/api/v1/items?tag=fruit');
    expect(fruit.body.data).toHaveLength(2);
    // The query the route runs can use the GIN index on the tsvector (no ILIKE scan). With three rows the
    // planner prefers a sequential scan, so it is told not to, as it would decide on a real table.
    const db = new pg.Client({ connectionString: tenantDb });
    await db.connect();
    await db.query('SET enable_seqscan = off');
    const { rows } = await db.query(
      `EXPLAIN SELECT id FROM items WHERE search @@ websearch_to_tsquery('english', 'apple')`,
    );
    await db.end();
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('IDX_items_search');
  });

  it('lets staff change only their own items', async () => {
    const mine = await w.item('staff');
    const managers = await w.item('manager');
    expect((await w.as('staff').patch(`/api/v1/items/${mine.id}`, { title: 'Mine' })).status).toBe(200);
    expectProblem(
      await w.as('staff').patch(`/api/v1/items/${managers.id}`, { title: 'Theirs' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await w.as('staff').delete(`/api/v1/items/${managers.id}`), 403, 'FORBIDDEN');
    expect((await w.as('manager').delete(`/api/v1/items/${mine.id}`)).status).toBe(204);
    expectProblem(await w.as('staff').get(`/api/v1/items/${mine.id}`), 404, 'ITEM_NOT_FOUND');
  });

  it('records every write with its actor, action, entity and field diff', async () => {
    const product = await w.product({ priceCents: 100 });
    const updated = await w
      .as('manager')
      .patch(`/api/v1/products/${product.id}`, { priceCents: 150, name: 'Renamed' });
    expect(updated.status).toBe(200);
    const warehouse = await w.warehouse();
    const move = await w.created(
      w.as('staff').post('/api/v1/stock-movements', {
        productId: product.id,
        warehouseId: warehouse.id,
        type: 'in',
        quantity: 4,
      }),
    );
    const user = await w.created(
      w.as('admin').post('/api/v1/users', {
        email: 'new@audit.example.com',
        password: PASSWORD,
        name: 'New',
        role: 'staff',
      }),
    );
    // Not containing the email's local part ('new'), which WEAK_PASSWORD refuses.
    const changed = await w
      .as('admin')
      .patch(`/api/v1/users/${user.id}`, { password: 'tall ferns quietly 6' });
    expect(changed.status).toBe(200);
    await w.as('admin').delete(`/api/v1/users/${user.id}`);

    const log = async (query: string) => (await w.as('auditor').get(`/api/v1/audit-logs?${query}`)).body.data;
    const productLog = await log(`entity=product&entityId=${product.id}`);
    expect(productLog.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
    expect(productLog[1]).toMatchObject({
      actorId: w.ids.manager,
      requestId: expect.any(String),
      // Where the write came from (issue 22): the socket's address here (no TRUST_PROXY), fetch's agent.
      clientIp: expect.stringMatching(/127\.0\.0\.1$/),
      userAgent: expect.any(String),
      changes: {
        priceCents: { before: 100, after: 150 },
        name: { before: product.name, after: 'Renamed' },
      },
    });
    expect(Object.keys(productLog[1].changes).sort()).toEqual(['name', 'priceCents']);

    const [moveEntry] = await log(`entity=stock_movement&entityId=${move.id}`);
    expect(moveEntry).toMatchObject({ action: 'stock.in', actorId: w.ids.staff });
    expect(moveEntry.changes[`quantity@${warehouse.id}`]).toEqual({ before: 0, after: 4 });

    const userLog = await log(`entity=user&entityId=${user.id}`);
    expect(userLog.map((e: { action: string }) => e.action)).toEqual(['create', 'update', 'deactivate']);
    expect(userLog[1].changes.passwordHash).toEqual({ before: '[redacted]', after: '[redacted]' });
    expect(JSON.stringify(userLog)).not.toMatch(/\$2[aby]\$/);
    expect(userLog[2].changes.isActive).toEqual({ before: true, after: false });

    const byActor = await log(`actorId=${w.ids.staff}&action=stock.in`);
    expect(
      byActor.every(
        (e: { actorId: string; action: string }) => e.actorId === w.ids.staff && e.action === 'stock.in',
      ),
    ).toBe(true);
    const [one] = productLog;
    expect((await w.as('admin').get(`/api/v1/audit-logs/${one.id}`)).body).toEqual(one);
  });

  it('has no route that changes an entry, and the database refuses it too', async () => {
    const [entry] = (await w.as('admin').get('/api/v1/audit-logs?limit=1')).body.data;
    expectProblem(
      await w.as('admin').patch(`/api/v1/audit-logs/${entry.id}`, { action: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await w.as('admin').delete(`/api/v1/audit-logs/${entry.id}`), 404, 'NOT_FOUND');
    await expect(
      queryServer(tenantDb, `UPDATE audit_logs SET action = 'forged' WHERE id = $1`, [entry.id]),
    ).rejects.toThrow(/append-only/);
    await expect(queryServer(tenantDb, `DELETE FROM audit_logs WHERE id = $1`, [entry.id])).rejects.toThrow(
      /append-only/,
    );
  });

  it('streams 100k entries as CSV with bounded memory, and the CSV parses back', async () => {
    await queryServer(
      tenantDb,
      `INSERT INTO audit_logs (actor_id, action, entity, entity_id, changes, request_id, created_at)
       SELECT $1, 'bulk', 'bulk_test', gen_random_uuid(),
              jsonb_build_object('note', jsonb_build_object('before', null, 'after', 'line "' || g || '", with, commas' || E'\\n' || 'and a newline')),
              'req-' || g, now() - (g || ' milliseconds')::interval
         FROM generate_series(1, 100000) AS g`,
      [w.ids.admin],
    );
    // The export is served by the built service as a process of its own, so its memory is measured apart
    // from this process, which parses the 100k rows.
    // What the export holds is measured as the service's live heap (after full collections, heap-probe.cjs),
    // sampled throughout — the spooling from the database included; RSS is read too, with a generous bound:
    // it also carries the collector's slack, which grows with the allocation rate of a disk-speed spool.
    const service = await startService({ DATABASE_URL: t.coreUrl }, { heapProbe: true });
    // A first, empty export warms the route (the tenant's pool, the query builder's metadata, the CSV
    // writer): one-time allocations are not what the export holds.
    const warm = await fetch(`${service.http.baseUrl}/api/v1/audit-logs/export.csv?entity=none_such`, {
      headers: { authorization: `Bearer ${w.tokens.auditor}`, 'x-tenant': 'audit-co' },
    });
    expect([warm.status, (await warm.text()).split('\n')[0]]).toEqual([
      200,
      'id,created_at,actor_id,action,entity,entity_id,request_id,changes',
    ]);
    const heapBefore = await heapAfterGc(service);
    let heapPeak = heapBefore;
    let exporting = true;
    const heapSampler = (async () => {
      while (exporting) heapPeak = Math.max(heapPeak, await heapAfterGc(service));
    })();
    const rss = () => rssMb(service.child.pid!);
    const rssBefore = rss();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
    const res = await fetch(`${service.http.baseUrl}/api/v1/audit-logs/export.csv?entity=bulk_test`, {
      headers: { authorization: `Bearer ${w.tokens.auditor}`, 'x-tenant': 'audit-co' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    let rows = 0;
    let header: string[] | undefined;
    let sample: Record<string, string> | undefined;
    const parser = Readable.fromWeb(res.body as never).pipe(
      parse({ columns: (h: string[]) => (header = h) }),
    );
    for await (const record of parser) {
      rows++;
      if (rows === 1) sample = record;
    }
    clearInterval(sampler);
    exporting = false;
    await heapSampler;
    service.child.kill('SIGKILL');
    await service.exited;
    expect(header).toEqual([
      'id',
      'created_at',
      'actor_id',
      'action',
      'entity',
      'entity_id',
      'request_id',
      'changes',
    ]);
    expect(rows).toBe(100_000);
    expect(sample).toMatchObject({ action: 'bulk', entity: 'bulk_test', actor_id: w.ids.admin });
    expect(JSON.parse(sample!.changes).note.after).toMatch(/^line "\d+", with, commas\nand a newline$/);
    // The whole export is ~25 MB of CSV, ~60 MB as rows and strings if it were held whole. Measured in flight
    // while it spools: 3-32 MB of live heap, going up and down (never held whole; a bare pg-query-stream →
    // csv → file pipeline keeps ~1 MB, so part of that is still unexplained: docs/designs/performance.md). Bounds:
    // the live heap under 48 MB, RSS under 128 MB (generous: it also carries the collector's slack).
    expect((heapPeak - heapBefore) / 1024 / 1024).toBeLessThan(48);
    expect(peak - rssBefore).toBeLessThan(128);
  }, 120_000);
});
