import net from 'node:net';
import { TenantWorld } from './support/domain.js';
import { rssMb, startService, type Service } from './support/service.js';
import { SseClient } from './support/sse.js';
import { queryServer, tenantDatabaseAdminUrl, tenantHeaders } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const STREAMS = 1000;
const metric = async (service: Service, name: string) => {
  const text = (await service.http.get('/metrics')).text;
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
};

/** Issue 13, acceptance 2: 1,000 streams on one instance for 30 s; a client that stops reading is dropped. */
describe('event streams under load', () => {
  let t: TestApp;
  let service: Service;
  let worlds: TenantWorld[];
  const clients: SseClient[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    worlds = [await TenantWorld.create(t, 'load-a'), await TenantWorld.create(t, 'load-b')];
    service = await startService({
      DATABASE_URL: t.coreUrl,
      EVENTS_HEARTBEAT_MS: '1000',
      EVENTS_SLOW_CLIENT_MS: '2000',
      // A thousand streams of two users: the per-user cap (its own spec) is not what this measures.
      EVENTS_MAX_STREAMS_PER_USER: '1000',
    });
  }, 60_000);
  afterAll(async () => {
    clients.forEach((c) => c.close());
    service?.child.kill('SIGKILL');
    await service?.exited;
    await t?.close();
  });

  it(`holds ${STREAMS} open streams for 30 s with bounded memory, every event to every stream`, async () => {
    for (let i = 0; i < STREAMS; i += 50)
      clients.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, j) => {
            const w = worlds[(i + j) % 2];
            return SseClient.open(`${service.http.baseUrl}/api/v1/events`, {
              authorization: `Bearer ${w.tokens.staff}`,
              ...tenantHeaders(w.slug),
            });
          }),
        )),
      );
    expect(clients.filter((c) => c.status === 200)).toHaveLength(STREAMS);
    expect(await metric(service, 'tenantry_event_streams_open')).toBe(STREAMS);
    const pid = service.child.pid!;
    const rssStart = rssMb(pid);

    const targets = await Promise.all(
      worlds.map(async (w) => ({ w, warehouse: await w.warehouse(), product: await w.product() })),
    );
    const started = Date.now();
    let written = 0;
    let peak = rssStart;
    while (Date.now() - started < 30_000) {
      for (const { w, warehouse, product } of targets) await w.stockIn(product.id, warehouse.id, 1);
      written++;
      peak = Math.max(peak, rssMb(pid));
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const counts = clients.map((c) => c.events.length);
    expect({ min: Math.min(...counts), max: Math.max(...counts) }).toEqual({ min: written, max: written });
    expect(clients.every((c) => !c.closed && c.comments > 10)).toBe(true);
    expect(peak - rssStart).toBeLessThan(64);
    expect(await metric(service, 'tenantry_event_streams_open')).toBe(STREAMS);
  }, 120_000);

  it('drops a client that stops reading instead of buffering for it', async () => {
    const w = await TenantWorld.create(t, 'load-slow');
    const fast = await SseClient.open(`${service.http.baseUrl}/api/v1/events`, {
      authorization: `Bearer ${w.tokens.staff}`,
      ...tenantHeaders(w.slug),
    });
    clients.push(fast);
    // A client that sends its request and never reads a byte of the reply.
    const port = Number(new URL(service.http.baseUrl).port);
    const slow = net.connect(port, '127.0.0.1');
    await new Promise((r) => slow.once('connect', r));
    slow.pause();
    slow.write(
      `GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${w.tokens.staff}\r\nX-TENANT: ${w.slug}\r\n\r\n`,
    );
    const closed = new Promise((r) => slow.once('close', r));
    slow.on('error', () => undefined);
    while ((await metric(service, 'tenantry_event_streams_open')) < STREAMS + 2)
      await new Promise((r) => setTimeout(r, 50));

    // 60,000 events of ~1 KiB (60 MiB: far more than the kernel's socket buffers hold) written straight into the log.
    const db = await tenantDatabaseAdminUrl(t.coreUrl, w.slug);
    await queryServer(
      db,
      `INSERT INTO events (type, data) SELECT 'stock.moved', jsonb_build_object('n', n, 'pad', repeat('x', 1000))
         FROM generate_series(1, 60000) n`,
    );
    const [{ id }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
    await queryServer(t.coreUrl, `SELECT pg_notify('tenantry_events', $1)`, [id]);

    await fast.waitFor(60_000, 60_000);
    expect(fast.events.map((e) => e.data.n)).toEqual(Array.from({ length: 60_000 }, (_, i) => i + 1));
    // The reader that stopped is closed once it has been blocked EVENTS_SLOW_CLIENT_MS (2 s here).
    const deadline = Date.now() + 10_000;
    while ((await metric(service, 'tenantry_event_streams_dropped_total')) < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await metric(service, 'tenantry_event_streams_dropped_total')).toBe(1);
    expect(await metric(service, 'tenantry_event_streams_open')).toBe(STREAMS + 1);
    // Not buffered for it: all the slow client can still read is what the kernel's socket buffers took
    // before the server stopped writing (at most 36 MiB here, by tcp_rmem/tcp_wmem), never the 60 MiB.
    let received = 0;
    slow.on('data', (chunk: Buffer) => (received += chunk.length));
    slow.resume();
    await closed;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(36 * 1024 * 1024);
  }, 90_000);
});
