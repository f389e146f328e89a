import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';
import { frameworkErrors } from '../errors/problem.filter.js';
import { problemType } from '../errors/problem.js';

/** A client's `X-Request-Id` is kept only in this shape; anything else gets a fresh id (docs/reference/api.md). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const NUL_IN_URL = /%00/i;

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time.'],
  HPE_HEADER_OVERFLOW: [431, 'REQUEST_HEADER_FIELDS_TOO_LARGE', 'The request headers are too large.'],
};

/**
 * Node's own refusals of what is not HTTP (bad framing, headers too large or too slow), answered like every
 * other error: problem+json, then the socket closes. A socket that cannot be written is destroyed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, detail] = CLIENT_ERRORS[err.code ?? ''] ?? [
    400,
    'BAD_REQUEST',
    'The request is not valid HTTP.',
  ];
  const body = JSON.stringify({ type: problemType(code), title: STATUS_CODES[status], status, code, detail });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Fastify's request id: the client's, when it is a plain token, else a new UUID. */
export function requestIdOf(req: { headers: IncomingHttpHeaders }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Fastify's trustProxy from TRUST_PROXY: false (the socket address only), trusted proxy addresses/CIDRs,
 * or a hop count (the nearest `n` hops are trusted).
 */
export function trustProxyOf(
  config: AppConfig,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  const trust = config.http.trustProxy;
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

/**
 * Headers every reply carries (docs/reference/api.md, "Headers"): helmet's nosniff, frame denial, no referrer and
 * HSTS; CORS only for the configured origins; `Cache-Control: no-store` on replies to authenticated requests;
 * the request id, for correlating a reply with the logs and the audit log.
 * No content-security policy: the API answers JSON, and Swagger UI needs its inline scripts.
 */
export async function applyHttpSecurity(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  // Only the headers docs/reference/api.md names (and no X-Powered-By): helmet's other modules concern HTML documents
  // in browsers, and each costs time on every reply (the profile: helmet was ~8 % of a routed GET's CPU).
  await app.register(helmet, {
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    dnsPrefetchControl: false,
    ieNoOpen: false,
    permittedCrossDomainPolicies: false,
    xssFilter: false,
  });
  if (config.http.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.http.corsOrigins,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', config.tenantHeader, 'x-request-id'],
      exposedHeaders: ['retry-after', 'x-request-id'],
      maxAge: 600,
    });
  }
  const fastify = app.getHttpAdapter().getInstance();
  // A NUL in the URL (`%00`) would reach Postgres, whose text cannot hold it, as an error: refused first.
  // Callback-style hooks: an async hook costs a promise (and its async-context hooks) on every request.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!NUL_IN_URL.test(request.url)) return done();
    frameworkErrors({ statusCode: 400 } as FastifyError, request, reply); // replies; the chain stops here
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (request.headers.authorization) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
