import { type Lease, PoolTimeoutError } from './budgeted-pool.types.js';

export interface Waiter<C> {
  key: string;
  since: number;
  resolve(lease: Lease<C>): void;
  reject(err: Error): void;
}

/**
 * The requests waiting for a connection, oldest first. Each waits at most `timeoutMs`, then fails with
 * PoolTimeoutError; who is served next is BudgetedPool's choice (same tenant first, the head past the
 * fairness bound, else the oldest that may open one).
 */
export class FairQueue<C> {
  private readonly waiters: (Waiter<C> & { timer: NodeJS.Timeout })[] = [];

  constructor(
    private readonly timeoutMs: number,
    private readonly events: { waited?(ms: number): void; timedOut?(key: string): void } = {},
  ) {}

  get length(): number {
    return this.waiters.length;
  }

  head(): Waiter<C> | undefined {
    return this.waiters[0];
  }

  find(predicate: (w: Waiter<C>) => boolean): Waiter<C> | undefined {
    return this.waiters.find(predicate);
  }

  has(key: string): boolean {
    return this.waiters.some((w) => w.key === key);
  }

  wait(key: string): Promise<Lease<C>> {
    return new Promise<Lease<C>>((resolve, reject) => {
      const since = Date.now();
      const waiter = {
        key,
        since,
        resolve: (lease: Lease<C>) => {
          clearTimeout(waiter.timer);
          this.events.waited?.(Date.now() - since);
          resolve(lease);
        },
        reject: (err: Error) => {
          clearTimeout(waiter.timer);
          reject(err);
        },
        timer: setTimeout(() => {
          this.remove(waiter);
          this.events.timedOut?.(key);
          reject(new PoolTimeoutError(Date.now() - since));
        }, this.timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  remove(waiter: Waiter<C>): void {
    const i = this.waiters.indexOf(waiter as (typeof this.waiters)[number]);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  rejectAll(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
