import { CanActivate, ExecutionContext, Global, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { isAuthRoute } from '../http/auth-routes.js';
import { AbuseLimits } from './abuse-limits.service.js';

/** Counts requests to sign-in and token routes per client IP (the socket's, or TRUST_PROXY's). */
@Injectable()
export class AuthRequestLimitGuard implements CanActivate {
  constructor(private readonly limits: AbuseLimits) {}

  /** Synchronous for every route but the auth routes (no promise per request). */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!isAuthRoute(request)) return true;
    return this.limits.authRequest(request.ip).then(() => true);
  }
}

@Global()
@Module({
  providers: [AbuseLimits, { provide: APP_GUARD, useClass: AuthRequestLimitGuard }],
  exports: [AbuseLimits],
})
export class LimitsModule {}
