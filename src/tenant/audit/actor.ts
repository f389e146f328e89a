import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { User } from '../users/user.entity.js';

/** Who does a write, and in which request: what every audit entry records. */
export interface Actor {
  user: User;
  requestId: string | null;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<{ user: User; id?: string }>();
  return { user: request.user, requestId: request.id ? String(request.id).slice(0, 64) : null };
});
