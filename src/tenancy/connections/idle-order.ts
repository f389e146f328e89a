import type { Slot } from './budgeted-pool.types.js';

/**
 * A pool's idle connections in the order they became idle: the first is the coldest (internal to
 * BudgetedPool). One idle for `coldAfterMs` is cold: its tenant has not needed it for a while.
 */
export class IdleOrder<C> {
  private readonly slots = new Set<Slot<C>>();

  constructor(private readonly coldAfterMs: number) {}

  get size(): number {
    return this.slots.size;
  }

  has(slot: Slot<C>): boolean {
    return this.slots.has(slot);
  }

  /** `slot` became idle now. */
  add(slot: Slot<C>): void {
    slot.idleSince = Date.now();
    this.slots.add(slot);
  }

  delete(slot: Slot<C>): void {
    this.slots.delete(slot);
  }

  /** The connection idle the longest; with `coldOnly`, only if it has gone cold. */
  coldest(coldOnly = false): Slot<C> | undefined {
    const first = this.slots.values().next();
    if (first.done) return undefined;
    return !coldOnly || Date.now() - first.value.idleSince >= this.coldAfterMs ? first.value : undefined;
  }

  /** Idle since before `cutoff`, coldest first. */
  idleSince(cutoff: number): Slot<C>[] {
    const found: Slot<C>[] = [];
    for (const slot of this.slots) {
      if (slot.idleSince > cutoff) break;
      found.push(slot);
    }
    return found;
  }

  all(): Slot<C>[] {
    return [...this.slots];
  }
}
