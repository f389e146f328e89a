import { type TenantLocation, type TenantConnectionRegistry } from '../../tenancy/index.js';

/** Who a stream was opened for: the user, the role then, and the token it was opened with (seconds). */
export interface StreamSession {
  userId: string;
  role: string;
  issuedAt: number;
  expiresAt: number;
}

interface UserState {
  id: string;
  role: string;
  active: boolean;
  validAfter: Date | null;
}

/**
 * Which of a tenant's open streams still stand for a live session: the token has not expired, and the user is
 * active, has the same role, and has not been cut off since the token was issued (logout, password change or
 * reset, deactivation: `tokens_valid_after`, as for every request). One query per tenant with streams.
 */
export async function cutSessions<T extends { session: StreamSession }>(
  registry: TenantConnectionRegistry,
  tenant: TenantLocation,
  streams: readonly T[],
  now = Date.now(),
): Promise<T[]> {
  const ids = [...new Set(streams.map((s) => s.session.userId))];
  const rows = await registry.query<UserState>(
    tenant,
    `SELECT id, role, is_active AS active, tokens_valid_after AS "validAfter" FROM users WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const users = new Map(rows.map((u) => [u.id, u]));
  return streams.filter(({ session }) => {
    const user = users.get(session.userId);
    if (!user || !user.active || user.role !== session.role) return true;
    if (session.expiresAt * 1000 <= now) return true;
    return user.validAfter !== null && session.issuedAt * 1000 < new Date(user.validAfter).getTime();
  });
}
