import { type Lease, PoolTimeoutError } from './budgeted-pool.types.js';

export interface Waiter<C> {
  readonly key: string;
  readonly since: number;
  /** Hands the waiter a connection; one that already gave up gets it released at once. */
  resolve(lease: Lease<C>): void;
  reject(err: Error): void;
}

interface Entry<C> extends Waiter<C> {
  settled: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * The requests waiting for a connection, oldest first. Each waits at most `timeoutMs` in the queue, then
 * fails with PoolTimeoutError. `take` commits to serving one (its connection may still be opening): its
 * timer stops, so a connection never arrives for a request that already answered 503 — and if one ever
 * does, it goes straight back. Who is served next is BudgetedPool's choice.
 */
export class FairQueue<C> {
  private readonly entries: Entry<C>[] = [];

  constructor(
    private readonly timeoutMs: number,
    private readonly events: { waited?(ms: number, key: string): void; timedOut?(key: string): void } = {},
  ) {}

  get length(): number {
    return this.entries.length;
  }

  head(): Waiter<C> | undefined {
    return this.entries[0];
  }

  find(predicate: (w: Waiter<C>) => boolean): Waiter<C> | undefined {
    return this.entries.find(predicate);
  }

  has(key: string): boolean {
    return this.entries.some((w) => w.key === key);
  }

  wait(key: string): Promise<Lease<C>> {
    return new Promise<Lease<C>>((resolve, reject) => {
      const since = Date.now();
      const entry: Entry<C> = {
        key,
        since,
        settled: false,
        resolve: (lease) => {
          if (entry.settled) return lease.release();
          entry.settled = true;
          clearTimeout(entry.timer);
          this.events.waited?.(Date.now() - since, key);
          resolve(lease);
        },
        reject: (err) => {
          if (entry.settled) return;
          entry.settled = true;
          clearTimeout(entry.timer);
          reject(err);
        },
      };
      entry.timer = setTimeout(() => {
        if (entry.settled) return;
        this.remove(entry);
        entry.reject(new PoolTimeoutError(Date.now() - since));
        this.events.timedOut?.(key);
      }, this.timeoutMs);
      this.entries.push(entry);
    });
  }

  /** Takes `waiter` out of the queue to be served: its wait no longer times out. */
  take(waiter: Waiter<C>): Waiter<C> {
    const entry = waiter as Entry<C>;
    this.remove(entry);
    clearTimeout(entry.timer);
    return entry;
  }

  rejectAll(err: Error): void {
    for (const w of this.entries.splice(0)) w.reject(err);
  }

  private remove(entry: Entry<C>): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }
}
