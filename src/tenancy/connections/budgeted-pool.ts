import { FairQueue, type Waiter } from './fair-queue.js';
import { IdleOrder } from './idle-order.js';
import {
  type BudgetedPoolOptions,
  type CloseReason,
  type Connector,
  type Lease,
  PoolClosedError,
  type PoolEvents,
  type PoolStats,
  type KeyState,
  type Slot,
  leaseOf,
  withDefaults,
} from './budgeted-pool.types.js';

export * from './budgeted-pool.types.js';

/**
 * A pool of connections keyed by tenant under one bound over all of them (docs/reference/tenancy.md, "connections
 * are the budget"). It guarantees:
 * - open connections (idle + in use + being opened + being closed) never exceed `budget`;
 * - one tenant holds at most `perKeyMax` of them;
 * - a request that cannot get one waits in a FIFO queue for at most `acquireTimeoutMs`, then fails with
 *   `PoolTimeoutError` (the HTTP layer answers 503 + Retry-After);
 * - when the budget is full, a tenant that holds none gets the connection idle the longest closed to make
 *   room; one that holds some gets it only once it is cold (idle `coldAfterMs`), else waits for its own:
 *   hot tenants keep theirs, and a tenant turning hot still grows to `perKeyMax`;
 * - a released connection goes straight to a waiter of the same tenant, unless the queue's head has waited
 *   longer than `fairnessMs`: then the head gets the slot, even for another tenant;
 * - while tenants below their share (`maxShare` of the budget) wait for a connection, no tenant holds more than
 *   its share: it waits for its own, and the connections it releases go to them first;
 * - connections idle for `idleMs` are closed; a key's connections can be retired at once (`retire`).
 * It knows nothing of Postgres: a `Connector` opens and closes connections (unit-tested with fakes).
 */
export class BudgetedPool<C> {
  private open = 0;
  private peak = 0;
  private readonly keys = new Map<string, KeyState<C>>();
  private readonly idleOrder: IdleOrder<C>;
  private readonly bySlot = new Map<C, Slot<C>>();
  private readonly waiters: FairQueue<C>;
  private closed = false;

  private readonly options: Required<BudgetedPoolOptions>;
  /** The most one key holds while others wait (maxShare of the budget, at least one). */
  private readonly shareMax: number;

  constructor(
    private readonly connector: Connector<C>,
    given: BudgetedPoolOptions,
    private readonly events: PoolEvents = {},
  ) {
    if (given.budget < 1) throw new Error('the connection budget must be at least 1');
    const options = (this.options = withDefaults(given));
    this.shareMax = Math.max(1, Math.floor(options.maxShare * options.budget));
    this.idleOrder = new IdleOrder(options.coldAfterMs);
    this.waiters = new FairQueue<C>(options.acquireTimeoutMs, {
      waited: events.waited,
      timedOut: (key) => {
        this.forget(key);
        events.timedOut?.();
      },
    });
  }

  stats(): PoolStats {
    let busy = 0;
    for (const s of this.keys.values()) busy += s.busy;
    return {
      open: this.open,
      idle: this.idleOrder.size,
      busy,
      waiting: this.waiters.length,
      keys: this.keys.size,
      peakOpen: this.peak,
    };
  }

  /** Connections this key holds (idle, in use, being opened). */
  held(key: string): number {
    const s = this.keys.get(key);
    return s ? s.idle.length + s.busy + s.opening : 0;
  }

  acquire(key: string): Promise<Lease<C>> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    const s = this.state(key);
    const idle = s.idle.pop();
    if (idle) {
      this.idleOrder.delete(idle);
      s.busy++;
      return Promise.resolve(this.lease(idle));
    }
    if (this.canOpen(s) && !this.overShare(key, 1)) {
      if (this.open < this.options.budget) return this.openFor(key, false);
      // A tenant holding nothing takes the coldest idle connection; one that holds some takes it only when
      // it has gone cold, else waits for its own: a hot tenant's bursts never churn the others' warm ones.
      const coldest = this.idleOrder.coldest(s.busy + s.opening > 0);
      if (coldest) return this.reclaim(coldest, key);
    }
    return this.waiters.wait(key);
  }

  /** Marks a connection broken (its socket failed): closed when released, or now when idle. */
  markBroken(conn: C): void {
    const slot = this.bySlot.get(conn);
    if (!slot) return;
    slot.broken = true;
    if (this.idleOrder.has(slot)) this.drop(slot, 'broken');
  }

  /** Closes a key's idle connections now and its busy ones when released (catalog change). */
  retire(key: string): void {
    const s = this.keys.get(key);
    if (!s) return;
    s.generation++;
    for (const slot of [...s.idle]) this.drop(slot, 'retired');
    this.forget(key);
  }

  /** Closes connections idle for longer than `idleMs`. */
  reapIdle(now = Date.now()): void {
    for (const slot of this.idleOrder.idleSince(now - this.options.idleMs)) this.drop(slot, 'idle');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiters.rejectAll(new PoolClosedError());
    const idle = this.idleOrder.all();
    for (const slot of idle) this.takeIdle(slot);
    await Promise.all(idle.map((slot) => this.discard(slot, 'shutdown')));
  }

  private state(key: string): KeyState<C> {
    let s = this.keys.get(key);
    if (!s) {
      s = { idle: [], busy: 0, opening: 0, generation: 0 };
      this.keys.set(key, s);
    }
    return s;
  }

  private forget(key: string): void {
    const s = this.keys.get(key);
    if (s && s.idle.length === 0 && s.busy === 0 && s.opening === 0 && !this.waiters.has(key))
      this.keys.delete(key);
  }

  private canOpen(s: KeyState<C>): boolean {
    return s.idle.length + s.busy + s.opening < this.options.perKeyMax;
  }

  /**
   * Whether `key`, with `extra` more, would pass its share while another key that may open one waits: below its
   * own share (`blocking`: what holds `key` back), or at all (what makes `key` hand over what it releases).
   */
  private overShare(key: string, extra: number, blocking = true): boolean {
    if (this.held(key) + extra <= this.shareMax) return false;
    const waiting = (w: Waiter<C>) =>
      w.key !== key && (!blocking || this.held(w.key) < this.shareMax) && this.canOpen(this.state(w.key));
    return this.waiters.find(waiting) !== undefined;
  }

  private takeIdle(slot: Slot<C>): void {
    this.idleOrder.delete(slot);
    const s = this.keys.get(slot.key);
    if (s) s.idle = s.idle.filter((x) => x !== slot);
  }

  private lease(slot: Slot<C>): Lease<C> {
    return leaseOf(slot, (released) => this.release(released));
  }

  /** Opens a connection for `key`; `counted` when the slot was already counted in `open`. */
  private async openFor(key: string, counted: boolean): Promise<Lease<C>> {
    const s = this.state(key);
    s.opening++;
    if (!counted) this.open++;
    this.peak = Math.max(this.peak, this.open);
    const started = Date.now();
    let conn: C;
    try {
      conn = await this.connector.open(key);
    } catch (err) {
      s.opening--;
      this.open--;
      this.events.openFailed?.();
      this.forget(key);
      this.dispatch();
      throw err;
    }
    this.events.opened?.(Date.now() - started, key);
    s.opening--;
    const current = this.state(key);
    current.busy++;
    const slot: Slot<C> = { conn, key, generation: current.generation, idleSince: 0, broken: false };
    this.bySlot.set(conn, slot);
    if (this.closed) {
      const lease = this.lease(slot);
      lease.release(true);
      throw new PoolClosedError();
    }
    return this.lease(slot);
  }

  /** Closes the idle `slot` of a colder tenant and opens one for `key` in its place. */
  private reclaim(slot: Slot<C>, key: string): Promise<Lease<C>> {
    this.takeIdle(slot);
    this.forget(slot.key);
    return this.transfer(slot, key, 'reclaimed');
  }

  /** Closes `slot` (already out of the idle set, still counted) and opens one for `key` in its place. */
  private async transfer(slot: Slot<C>, key: string, reason: CloseReason): Promise<Lease<C>> {
    this.state(key).opening++;
    await this.closeConn(slot, reason);
    this.state(key).opening--;
    return this.openFor(key, true);
  }

  private release(slot: Slot<C>): void {
    const s = this.state(slot.key);
    s.busy--;
    if (slot.broken || slot.generation !== s.generation || this.closed) {
      void this.discard(slot, slot.broken ? 'broken' : this.closed ? 'shutdown' : 'retired');
      return;
    }
    const waiter = this.nextWaiter(slot.key);
    if (waiter) {
      this.waiters.take(waiter);
      if (waiter.key === slot.key) {
        s.busy++;
        waiter.resolve(this.lease(slot));
      } else {
        this.forget(slot.key);
        this.transfer(slot, waiter.key, 'reclaimed').then(waiter.resolve, waiter.reject);
      }
      return;
    }
    s.idle.push(slot);
    this.idleOrder.add(slot);
  }

  /** Who gets `key`'s released connection: a head past the fairness bound (within its share), same key, or one holding none. */
  private nextWaiter(key: string): Waiter<C> | undefined {
    const head = this.waiters.head();
    if (!head) return undefined;
    const eligible = (w: Waiter<C>) => w.key === key || this.canOpen(this.state(w.key));
    const others = (w: Waiter<C>) => w.key !== key && eligible(w);
    const withinShare = (w: Waiter<C>) => others(w) && !this.overShare(w.key, 1);
    // A key past its share while others wait gives the connection it releases to them.
    if (this.overShare(key, 1, false)) return this.waiters.find(withinShare) ?? this.waiters.find(others);
    if (head.key === key) return head;
    if (Date.now() - head.since >= this.options.fairnessMs && eligible(head)) {
      if (!this.overShare(head.key, 1)) return head; // a flooder's old waiters do not pull the others' connections
      return this.waiters.find(withinShare) ?? this.waiters.find((w) => w.key === key);
    }
    const starving = (w: Waiter<C>) => eligible(w) && this.held(w.key) === 0;
    return this.waiters.find((w) => w.key === key) ?? this.waiters.find(starving);
  }

  /** After a connection was closed (or failed to open): serve waiters that may open one now. */
  private dispatch(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters.find((w) => this.canOpen(this.state(w.key)) && !this.overShare(w.key, 1));
      if (!waiter) return;
      if (this.open < this.options.budget) {
        this.waiters.take(waiter);
        this.openFor(waiter.key, false).then(waiter.resolve, waiter.reject);
        continue;
      }
      const starving = this.waiters.find((w) => this.held(w.key) === 0);
      const coldest = starving && this.idleOrder.coldest();
      if (!starving || !coldest) return;
      this.waiters.take(starving);
      this.reclaim(coldest, starving.key).then(starving.resolve, starving.reject);
      continue;
    }
  }

  /** Closes an idle connection. */
  private drop(slot: Slot<C>, reason: CloseReason): void {
    this.takeIdle(slot);
    void this.discard(slot, reason);
  }

  private async discard(slot: Slot<C>, reason: CloseReason): Promise<void> {
    await this.closeConn(slot, reason);
    this.open--;
    this.forget(slot.key);
    this.dispatch();
  }

  private async closeConn(slot: Slot<C>, reason: CloseReason): Promise<void> {
    this.bySlot.delete(slot.conn);
    this.events.closed?.(reason);
    await this.connector.close(slot.conn).catch(() => undefined);
  }
}
