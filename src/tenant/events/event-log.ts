import { EntityManager } from 'typeorm';
import { lockForTransaction, LockClass } from '../../database/advisory-lock.js';
import type { EventType } from './event.entity.js';

/**
 * Appends an event on the caller's transaction: it exists exactly when the change commits. The tenant's
 * event lock, held to the commit, makes ids commit in order (a bigserial alone does not: a transaction
 * that took id 10 may commit after one that took 11, and a reader past 11 would never see 10).
 */
export async function appendEvent(
  m: EntityManager,
  type: EventType,
  data: Record<string, unknown>,
): Promise<void> {
  await lockForTransaction(m, { lockClass: LockClass.tenantEvents });
  await m.query('INSERT INTO events (type, data) VALUES ($1, $2)', [type, JSON.stringify(data)]);
}
