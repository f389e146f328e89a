import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { isInfrastructureFailure } from '../../common/errors/infrastructure-errors.js';
import { CORE_JWT } from './core-jwt.constants.js';
import { CoreAuthErrors } from './core-auth.errors.js';
import type { AuthenticatedOwner } from './core-jwt.strategy.js';

/**
 * Requires a valid core access token; every token failure is 401 INVALID_TOKEN. A database that cannot
 * answer the owner lookup is not a token failure: it leaves as 503.
 */
@Injectable()
export class CoreAuthGuard extends AuthGuard(CORE_JWT.strategy) {
  override handleRequest<T>(err: unknown, user: T): T {
    if (err && isInfrastructureFailure(err)) throw err;
    if (err || !user) throw CoreAuthErrors.invalidToken();
    return user;
  }
}

export const CurrentOwner = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedOwner => ctx.switchToHttp().getRequest().user,
);
