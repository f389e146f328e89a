import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { User } from '../identity/user.entity.js';

/** Who does a write, and in which request: what every audit entry records. */
export interface Actor {
  user: User;
  requestId: string | null;
  /** The client's IP (TRUST_PROXY decides which) and User-Agent (cut to 200): absent outside a request. */
  clientIp?: string | null;
  userAgent?: string | null;
}

/** Who an audit entry names: a user, or the system (a scheduled job) with no user. */
export interface AuditActor {
  user: { id: string } | null;
  requestId: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
}

/** The actor of scheduled jobs: recorded as `actorId: null`. */
export const SYSTEM_ACTOR: AuditActor = { user: null, requestId: null };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx
    .switchToHttp()
    .getRequest<{ user: User; id?: string; ip?: string; headers: Record<string, unknown> }>();
  const agent = request.headers['user-agent'];
  return {
    user: request.user,
    requestId: request.id ? String(request.id).slice(0, 64) : null,
    clientIp: request.ip ? request.ip.slice(0, 45) : null,
    userAgent: typeof agent === 'string' ? agent.slice(0, 200) : null,
  };
});
