import type { EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { OperatorAction } from './operator-action.entity.js';

export interface ActionRecord {
  operatorId: string | null;
  actor: string;
  action: string;
  tenantSlug?: string | null;
  /** `ok`, or the code the action failed with. */
  result: string;
}

/** Records one operator action in the core database (who, what, which tenant, when, result). */
export async function recordAction(m: EntityManager, record: ActionRecord): Promise<void> {
  await m.getRepository(OperatorAction).insert({ ...record, tenantSlug: record.tenantSlug ?? null });
}

/** Runs an operator's action and records it, failed or not: `ok`, or the code it failed with. */
export async function recorded<T>(
  m: EntityManager,
  record: Omit<ActionRecord, 'result'>,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    const value = await fn();
    await recordAction(m, { ...record, result: 'ok' });
    return value;
  } catch (err) {
    await recordAction(m, { ...record, result: err instanceof AppError ? err.code : 'failed' });
    throw err;
  }
}
