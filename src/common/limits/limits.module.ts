import { Global, Module } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { sendAppError } from '../errors/problem.filter.js';
import { isAuthRoute } from '../http/auth-routes.js';
import { AbuseLimits } from './abuse-limits.service.js';

/**
 * Counts requests to the sign-in and token routes per client IP (the socket's, or TRUST_PROXY's) as they
 * arrive: a Fastify `onRequest` hook, so a request is counted — and refused past the limit — before its
 * body is read or parsed (a body the parser rejects counts too). Callback-style: no promise on the other
 * routes.
 */
export function registerAuthRequestLimit(fastify: FastifyInstance, limits: AbuseLimits): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!isAuthRoute(request)) return done();
    limits.authRequest(request.ip).then(
      () => done(),
      (err: unknown) => (err instanceof AppError ? sendAppError(reply, err) : done(err as Error)),
    );
  });
}

@Global()
@Module({ providers: [AbuseLimits], exports: [AbuseLimits] })
export class LimitsModule {}
