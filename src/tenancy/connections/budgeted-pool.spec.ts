import { isInfrastructureFailure } from '../../common/errors/infrastructure-errors.js';
import { BudgetedPool, type Connector, PoolTimeoutError } from './budgeted-pool.js';

interface FakeConn {
  id: number;
  key: string;
}

/** A connector whose connections are counted from the start of open() to the end of close(). */
class FakeServer implements Connector<FakeConn> {
  live = 0;
  peak = 0;
  opened = 0;
  failNext = 0;
  private next = 0;

  constructor(private readonly delayMs = 2) {}

  async open(key: string): Promise<FakeConn> {
    this.live++;
    this.peak = Math.max(this.peak, this.live);
    await sleep(this.delayMs);
    if (this.failNext > 0) {
      this.failNext--;
      this.live--;
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    }
    this.opened++;
    return { id: ++this.next, key };
  }

  async close(): Promise<void> {
    await sleep(1);
    this.live--;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pool(server: FakeServer, options: Partial<ConstructorParameters<typeof BudgetedPool>[1]> = {}) {
  return new BudgetedPool<FakeConn>(server, {
    budget: 4,
    perKeyMax: 2,
    acquireTimeoutMs: 500,
    idleMs: 60_000,
    ...options,
  });
}

async function use(p: BudgetedPool<FakeConn>, key: string, holdMs = 1): Promise<FakeConn> {
  const lease = await p.acquire(key);
  await sleep(holdMs);
  lease.release();
  return lease.conn;
}

describe('BudgetedPool', () => {
  it('opens one connection for concurrent first requests of a tenant when it suffices', async () => {
    const server = new FakeServer();
    const p = pool(server, { perKeyMax: 1 });
    const conns = await Promise.all(Array.from({ length: 20 }, () => use(p, 'a')));
    expect(server.opened).toBe(1);
    expect(new Set(conns.map((c) => c.id)).size).toBe(1);
    await p.close();
  });

  it('never exceeds the budget, however many tenants and requests', async () => {
    const server = new FakeServer(3);
    const p = pool(server, { budget: 5, perKeyMax: 3, acquireTimeoutMs: 4000 });
    const keys = Array.from({ length: 40 }, (_, i) => `t${i}`);
    await Promise.all(Array.from({ length: 400 }, (_, i) => use(p, keys[(i * 7) % keys.length], 2)));
    expect(server.peak).toBeLessThanOrEqual(5);
    expect(p.stats().peakOpen).toBeLessThanOrEqual(5);
    await p.close();
    expect(server.live).toBe(0);
  });

  it('does not cache a failed open: the next request opens again', async () => {
    const server = new FakeServer();
    const p = pool(server);
    server.failNext = 1;
    await expect(p.acquire('a')).rejects.toThrow(/ECONNREFUSED/);
    expect(p.stats().open).toBe(0);
    await expect(use(p, 'a')).resolves.toMatchObject({ key: 'a' });
    await p.close();
  });

  it('times a waiter out with PoolTimeoutError when nothing frees up', async () => {
    const server = new FakeServer();
    const p = pool(server, { budget: 1, acquireTimeoutMs: 50 });
    const held = await p.acquire('a');
    const started = Date.now();
    const timedOut = await p.acquire('b').catch((err: unknown) => err);
    expect(timedOut).toBeInstanceOf(PoolTimeoutError);
    // Answered 503 + Retry-After: recognised as unavailable by its class.
    expect(isInfrastructureFailure(timedOut)).toBe(true);
    // An AppError with its own HTTP face, so a host of the engine answers it as this service does.
    expect((timedOut as PoolTimeoutError).http).toEqual({ status: 503, retryAfterSeconds: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    held.release();
    await p.close();
  });

  it('serves waiters fairly: a long-waiting head beats same-tenant reuse', async () => {
    const server = new FakeServer();
    const p = pool(server, { budget: 1, perKeyMax: 1, acquireTimeoutMs: 1000, fairnessMs: 20 });
    const order: string[] = [];
    const first = await p.acquire('hot');
    const cold = p.acquire('cold').then((l) => (order.push('cold'), l));
    await sleep(30); // cold has now waited past the fairness bound
    const hot = p.acquire('hot').then((l) => (order.push('hot'), l));
    first.release();
    (await cold).release();
    (await hot).release();
    expect(order).toEqual(['cold', 'hot']);
    await p.close();
  });

  it('reclaims the coldest idle connection when the budget is full; hot tenants keep theirs', async () => {
    const server = new FakeServer();
    const p = pool(server, { budget: 2, perKeyMax: 1 });
    await use(p, 'cold');
    await sleep(5);
    await use(p, 'hot');
    await use(p, 'new'); // budget full: the coldest idle one (cold) makes room
    expect(p.held('cold')).toBe(0);
    expect(p.held('hot')).toBe(1);
    expect(p.held('new')).toBe(1);
    expect(server.peak).toBeLessThanOrEqual(2);
    await p.close();
  });

  it('retires a tenant: idle connections close now, busy ones when released', async () => {
    const server = new FakeServer();
    const p = pool(server, { perKeyMax: 2 });
    const busy = await p.acquire('a');
    await use(p, 'a');
    expect(p.held('a')).toBe(2);
    p.retire('a');
    await sleep(5);
    expect(p.held('a')).toBe(1); // the idle one went; the busy one is still in use
    busy.release();
    await sleep(5);
    expect(p.held('a')).toBe(0);
    expect(server.live).toBe(0);
    await p.close();
  });

  it('closes connections idle for longer than idleMs', async () => {
    const server = new FakeServer();
    const p = pool(server, { idleMs: 10 });
    await use(p, 'a');
    await use(p, 'b');
    p.reapIdle(Date.now() + 11);
    await sleep(5);
    expect(p.stats().open).toBe(0);
    expect(server.live).toBe(0);
    await p.close();
  });

  it('drops a connection marked broken instead of reusing it', async () => {
    const server = new FakeServer();
    const p = pool(server);
    const first = await use(p, 'a');
    p.markBroken(first);
    await sleep(5);
    const second = await use(p, 'a');
    expect(second.id).not.toBe(first.id);
    const lease = await p.acquire('a');
    lease.release(true);
    await sleep(5);
    expect(p.stats().open).toBe(0);
    await p.close();
  });
});

describe('BudgetedPool under a full budget', () => {
  it('lets a tenant that holds connections wait for its own instead of taking another’s', async () => {
    const server = new FakeServer();
    const p = pool(server, { budget: 2, perKeyMax: 2, acquireTimeoutMs: 1000 });
    await use(p, 'cold'); // idle
    const hot = await p.acquire('hot'); // budget now full: cold idle, hot busy
    const second = p.acquire('hot'); // hot holds one: waits rather than closing cold's
    await sleep(10);
    expect(p.held('cold')).toBe(1);
    hot.release();
    (await second).release();
    expect(server.opened).toBe(2);
    await p.close();
  });

  it('lets a tenant that holds connections grow into idle ones that have gone cold', async () => {
    // The budget is full of another tenant's idle connections (a service that just onboarded many
    // tenants): a tenant turning hot must not be held to the one connection it got first.
    const server = new FakeServer();
    const p = pool(server, { budget: 3, perKeyMax: 3, acquireTimeoutMs: 1000, coldAfterMs: 20 });
    await Promise.all([use(p, 'a'), use(p, 'b'), use(p, 'c')]);
    await sleep(30);
    const first = await p.acquire('hot');
    const more = await Promise.all([p.acquire('hot'), p.acquire('hot')]);
    expect(p.held('hot')).toBe(3);
    expect(p.held('a') + p.held('b') + p.held('c')).toBe(0);
    expect(server.peak).toBeLessThanOrEqual(3);
    for (const lease of [first, ...more]) lease.release();
    await p.close();
  });
});

describe('BudgetedPool waiters', () => {
  it('never leaks a connection to a waiter that gave up, even when opens are slower than the wait', async () => {
    const server = new FakeServer(40);
    const p = pool(server, { budget: 2, perKeyMax: 1, acquireTimeoutMs: 60 });
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => use(p, `t${i % 10}`, 2)));
    expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
    await sleep(150);
    const stats = p.stats();
    expect(stats.busy).toBe(0);
    expect(stats.waiting).toBe(0);
    expect(stats.open).toBeLessThanOrEqual(2);
    // The pool still serves: nothing is held by a request that is gone.
    await expect(use(p, 'fresh')).resolves.toMatchObject({ key: 'fresh' });
    await p.close();
  });
});
