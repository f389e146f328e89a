import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { CORE_JWT } from './core-jwt.constants.js';
import { CoreAuthErrors } from './core-auth.errors.js';
import type { AuthenticatedOwner } from './core-jwt.strategy.js';

/** Requires a valid core access token; every failure is 401 INVALID_TOKEN. */
@Injectable()
export class CoreAuthGuard extends AuthGuard(CORE_JWT.strategy) {
  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw CoreAuthErrors.invalidToken();
    return user;
  }
}

export const CurrentOwner = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedOwner => ctx.switchToHttp().getRequest().user,
);
