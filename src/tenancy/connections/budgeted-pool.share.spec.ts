import { BudgetedPool, type Connector, type Lease } from './budgeted-pool.js';

interface Conn {
  id: number;
  key: string;
}

/** Opens at once; counts what is live. */
class Server implements Connector<Conn> {
  live = 0;
  private next = 0;
  async open(key: string): Promise<Conn> {
    this.live++;
    return { id: ++this.next, key };
  }
  async close(): Promise<void> {
    this.live--;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 5));

/** A lease promise with whether it has resolved yet. */
function tracked(p: Promise<Lease<Conn>>) {
  const t = { lease: undefined as Lease<Conn> | undefined, done: false };
  void p.then((lease) => Object.assign(t, { lease, done: true }));
  return t;
}

describe('BudgetedPool fair share (maxShare)', () => {
  const options = { budget: 4, perKeyMax: 4, acquireTimeoutMs: 2_000, idleMs: 60_000, maxShare: 0.5 };

  it('lets a tenant alone use its whole perKeyMax', async () => {
    const pool = new BudgetedPool(new Server(), options);
    const leases = await Promise.all([1, 2, 3, 4].map(() => pool.acquire('a')));
    expect(pool.held('a')).toBe(4);
    for (const l of leases) l.release();
    await pool.close();
  });

  it("gives a flooding tenant's released connections to the tenants waiting, and makes it wait at its share", async () => {
    const server = new Server();
    const pool = new BudgetedPool(server, options);
    const flood = await Promise.all([1, 2, 3, 4].map(() => pool.acquire('a')));
    const b = tracked(pool.acquire('b'));
    const c = tracked(pool.acquire('c'));
    const moreA = tracked(pool.acquire('a'));
    await settle();
    expect([b.done, c.done, moreA.done]).toEqual([false, false, false]);
    flood[0].release();
    flood[1].release();
    await settle();
    // Both went to the others, not to the flooder's own waiter.
    expect([b.done, c.done, moreA.done]).toEqual([true, true, false]);
    expect([pool.held('a'), pool.held('b'), pool.held('c')]).toEqual([2, 1, 1]);
    expect(server.live).toBeLessThanOrEqual(4);
    // Nobody else waits now: a connection the flooder releases goes to its own waiter again.
    flood[2].release();
    await settle();
    expect(moreA.done).toBe(true);
    for (const l of [flood[3], b.lease!, c.lease!, moreA.lease!]) l.release();
    await pool.close();
  });

  it("never hands another tenant's released connection to a flooder at its share, even one waiting past the fairness bound", async () => {
    const server = new Server();
    const pool = new BudgetedPool(server, { ...options, fairnessMs: 1 });
    const flood = await Promise.all([1, 2].map(() => pool.acquire('a')));
    const calm = await Promise.all([1, 2].map(() => pool.acquire('b')));
    const moreA = tracked(pool.acquire('a')); // the queue's head, soon past the fairness bound
    await settle();
    const c = tracked(pool.acquire('c'));
    await settle();
    calm[0].release();
    await settle();
    expect([c.done, moreA.done]).toEqual([true, false]);
    expect([pool.held('a'), pool.held('b'), pool.held('c')]).toEqual([2, 1, 1]);
    for (const l of [...flood, calm[1], c.lease!]) l.release();
    await settle();
    expect(moreA.done).toBe(true);
    moreA.lease!.release();
    await pool.close();
  });

  describe('never leaves a released connection idle while a tenant waits, even when each holds its share or more', () => {
    // A share of one connection (3 × 0.5) for two tenants and a budget of three: one of them must be past it.
    const tight = { ...options, budget: 3, perKeyMax: 3, fairnessMs: 10_000 };

    it('the releasing tenant waiting too', async () => {
      const pool = new BudgetedPool(new Server(), tight);
      const a = await Promise.all([1, 2].map(() => pool.acquire('a')));
      const b = await pool.acquire('b');
      const moreA = tracked(pool.acquire('a'));
      const moreB = tracked(pool.acquire('b'));
      await settle();
      a[0].release();
      await settle();
      expect([[moreA.done, moreB.done].filter(Boolean).length, pool.stats().idle]).toEqual([1, 0]);
      b.release();
      await settle();
      expect([moreA.done, moreB.done, pool.stats().idle]).toEqual([true, true, 0]);
      for (const l of [a[1], moreA.lease!, moreB.lease!]) l.release();
      await pool.close();
    });

    it('only the other tenant waiting, at its share, its own connection busy', async () => {
      const pool = new BudgetedPool(new Server(), tight);
      const a = await Promise.all([1, 2].map(() => pool.acquire('a')));
      const b = await pool.acquire('b');
      const moreB = tracked(pool.acquire('b'));
      await settle();
      a[0].release();
      await settle();
      expect([moreB.done, pool.stats().idle]).toEqual([true, 0]);
      for (const l of [a[1], b, moreB.lease!]) l.release();
      await pool.close();
    });
  });

  it('without a cap (the default) keeps serving the same tenant first', async () => {
    const pool = new BudgetedPool(new Server(), { ...options, maxShare: undefined });
    const flood = await Promise.all([1, 2, 3, 4].map(() => pool.acquire('a')));
    const moreA = tracked(pool.acquire('a'));
    const b = tracked(pool.acquire('b'));
    await settle();
    flood[0].release();
    await settle();
    expect([moreA.done, b.done]).toEqual([true, false]);
    for (const l of [...flood.slice(1), moreA.lease!]) l.release();
    await settle();
    expect(b.done).toBe(true);
    b.lease!.release();
    await pool.close();
  });
});
