import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType } from '../common/errors/problem.js';
import type { ConsoleFiles } from './console-files.js';

/**
 * The console's pages load nothing but its own files and talk to nothing but this origin: no inline script or
 * style (the build emits none), no plugin, no frame, no form posting anywhere (its forms are handled by script).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = JSON.stringify({
  type: problemType('SERVICE_UNAVAILABLE'),
  title: 'Service Unavailable',
  status: 503,
  code: 'SERVICE_UNAVAILABLE',
  detail: 'The console is not built: run `npm run build` (it writes dist/console), then reload.',
});

/**
 * `GET /console` and `/console/` answer the console's page, `/console/<file>` one file of its build (its
 * hashed assets cached for good, the page revalidated each time); anything else under /console is 404, and
 * every request 503 while there is no build.
 */
export function registerConsoleRoutes(fastify: FastifyInstance, files: ConsoleFiles): void {
  const serve = async (reply: FastifyReply, path: string): Promise<FastifyReply> => {
    if (!(await files.built()))
      return reply.code(503).header('retry-after', '30').type(PROBLEM_CONTENT_TYPE).send(NOT_BUILT);
    const file = await files.read(path);
    if (!file) {
      reply.callNotFound();
      return reply;
    }
    return reply
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .type(file.contentType)
      .send(file.body);
  };
  // Every reply under /console carries the policy: its files, and its refusals (404, 400, 405) too.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (
      request.url === '/console' ||
      request.url.startsWith('/console/') ||
      request.url.startsWith('/console?')
    )
      reply.header('content-security-policy', CONSOLE_CSP);
    done(null, payload);
  });
  fastify.get('/console', (_request, reply) => serve(reply, 'index.html'));
  fastify.get<{ Params: { '*': string } }>('/console/*', (request, reply) =>
    serve(reply, request.params['*'] || 'index.html'),
  );
}
