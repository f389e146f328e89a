import { UnavailableError } from '../../common/errors/unavailable-error.js';
/** The contract of BudgetedPool (budgeted-pool.ts): what it needs, what it reports, how it fails. */
export interface Connector<C> {
  open(key: string): Promise<C>;
  close(conn: C): Promise<void>;
}

export interface BudgetedPoolOptions {
  budget: number;
  perKeyMax: number;
  acquireTimeoutMs: number;
  idleMs: number;
  /** A waiter older than this is served before same-tenant reuse. Default: acquireTimeoutMs / 4. */
  fairnessMs?: number;
  /**
   * An idle connection unused for this long is cold: a tenant that already holds connections (below
   * perKeyMax) may take it to grow. Shorter idles are a hot tenant's, between two of its requests, and
   * stay its own. Default: min(1000, idleMs).
   */
  coldAfterMs?: number;
  /**
   * While connections are waited for by other keys, no key holds more than this share of the budget (at least
   * one connection); a key alone may use up to `perKeyMax`. Default 1: no cap.
   */
  maxShare?: number;
}

/** The options with their defaults filled in. */
export function withDefaults(o: BudgetedPoolOptions): Required<BudgetedPoolOptions> {
  return {
    ...o,
    fairnessMs: o.fairnessMs ?? Math.max(1, Math.floor(o.acquireTimeoutMs / 4)),
    coldAfterMs: o.coldAfterMs ?? Math.min(1000, o.idleMs),
    maxShare: o.maxShare ?? 1,
  };
}

export class PoolTimeoutError extends UnavailableError {
  constructor(waitedMs: number) {
    super(`No database connection became free within ${waitedMs} ms; retry shortly.`);
    this.name = 'PoolTimeoutError';
  }
}

export class PoolClosedError extends UnavailableError {
  constructor() {
    super('The service is shutting down; retry on another instance.');
    this.name = 'PoolClosedError';
  }
}

export interface Lease<C> {
  readonly conn: C;
  /** Returns the connection; `broken` (or a connection marked broken) closes it instead. */
  release(broken?: boolean): void;
}

/** The pool's figures (declared with the gauges that read them). */
export type { PoolStats } from '../options/tenancy.metrics.js';

export type CloseReason = 'idle' | 'reclaimed' | 'retired' | 'broken' | 'shutdown';

export interface PoolEvents {
  /** A connection opened for `key` (a cold connect) in `ms`. */
  opened?(ms: number, key: string): void;
  openFailed?(): void;
  closed?(reason: CloseReason): void;
  /** A request of `key` waited `ms` for a connection. */
  waited?(ms: number, key: string): void;
  timedOut?(): void;
}

/** A lease of `slot`'s connection: its first release (marking it broken if asked) reaches the pool. */
export function leaseOf<C>(slot: Slot<C>, release: (slot: Slot<C>) => void): Lease<C> {
  let done = false;
  return {
    conn: slot.conn,
    release: (broken = false) => {
      if (done) return;
      done = true;
      if (broken) slot.broken = true;
      release(slot);
    },
  };
}

/** One connection of the pool, as the pool tracks it (internal to BudgetedPool). */
export interface Slot<C> {
  conn: C;
  key: string;
  /** The key's generation when opened: a retired key's older connections are closed on release. */
  generation: number;
  idleSince: number;
  broken: boolean;
}

/** One key's (tenant's) connections (internal to BudgetedPool). */
export interface KeyState<C> {
  idle: Slot<C>[];
  busy: number;
  opening: number;
  generation: number;
}
