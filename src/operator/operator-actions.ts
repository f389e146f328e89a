import type { EntityManager } from 'typeorm';
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
