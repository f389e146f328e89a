import { EntityManager } from 'typeorm';
import type { AuditActor } from './actor.js';
import type { FieldChange } from './audit-log.entity.js';

const IGNORED = new Set(['updatedAt', 'createdAt', 'search', 'lines']);
const SECRET = new Set(['passwordHash']);

function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Field-by-field difference of two snapshots; secrets are recorded as changed, never by value. */
export function diff(before: object | null, after: object | null): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (IGNORED.has(key)) continue;
    const x = comparable(a[key]);
    const y = comparable(b[key]);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    changes[key] = SECRET.has(key)
      ? { before: before ? '[redacted]' : null, after: after ? '[redacted]' : null }
      : { before: x ?? null, after: y ?? null };
  }
  return changes;
}

/**
 * Appends one audit entry on the caller's transaction (`manager`), so the entry exists exactly when the
 * change it describes commits.
 */
export async function audit(
  manager: EntityManager,
  actor: AuditActor,
  action: string,
  entity: string,
  entityId: string,
  before: object | null,
  after: object | null,
): Promise<void> {
  await manager.query(
    `INSERT INTO audit_logs (actor_id, action, entity, entity_id, changes, request_id, client_ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      actor.user?.id ?? null,
      action,
      entity,
      entityId,
      JSON.stringify(diff(before, after)),
      actor.requestId,
      actor.clientIp ?? null,
      actor.userAgent ?? null,
    ],
  );
}
