import type { FastifyRequest } from 'fastify';

/** The sign-in and token routes, core and tenant, by their declared path. */
const AUTH_ROUTE = /^\/api\/v1\/(core\/|operator\/)?auth\//;

/**
 * Whether the request was routed to an `/auth/` route. Decided by the route Fastify matched (its declared
 * path), never by the raw URL: `/api/v1/core/%61uth/login` is routed to the login route as well, and a test
 * of `request.url` would miss it.
 */
export function isAuthRoute(request: Pick<FastifyRequest, 'routeOptions'>): boolean {
  const declared = request.routeOptions?.url;
  return declared !== undefined && AUTH_ROUTE.test(declared);
}
