import { type TenantLocation, TenantConnectionRegistry } from '../../tenancy/index.js';
import { Injectable } from '@nestjs/common';
import type { User } from './user.entity.js';

/**
 * The columns a signed-in user carries through a request (no password hash), if the user is active and the
 * token (issued at $2, in seconds with fractions) is not older than the user's cut-off (session-cutoff.ts).
 */
const SELECT_ACTIVE_USER = `SELECT id, email, name, role, is_active AS "isActive", is_owner AS "isOwner",
  tokens_valid_after AS "tokensValidAfter", created_at AS "createdAt", updated_at AS "updatedAt"
  FROM users WHERE id = $1 AND is_active AND (tokens_valid_after IS NULL OR tokens_valid_after <= to_timestamp($2))`;

export type SessionUser = Omit<User, 'passwordHash'>;

/**
 * Reads the user behind a tenant token on every request, so a deactivation stops its tokens at once on
 * every instance. One parameterised statement on a borrowed connection: the request's hottest query
 * skips TypeORM's query building (docs/designs/performance.md).
 */
@Injectable()
export class ActiveUserReader {
  constructor(private readonly connections: TenantConnectionRegistry) {}

  async find(tenant: TenantLocation, userId: string, issuedAt: number): Promise<SessionUser | null> {
    const rows = await this.connections.query<SessionUser>(tenant, SELECT_ACTIVE_USER, [userId, issuedAt]);
    return rows[0] ?? null;
  }
}
