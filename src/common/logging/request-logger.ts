import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from '../../config/app-config.js';

/** A slug as the contract shapes it: only such a header value is ever written to a log line. */
const SLUG = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/**
 * Whether logs are for a person: pretty, one line per event (pino-pretty, in a worker thread) in development
 * on a terminal; JSON lines otherwise (production, tests, a pipe into a log collector).
 */
export function prettyLogs(config: AppConfig): boolean {
  return config.nodeEnv === 'development' && process.stdout.isTTY === true;
}

/**
 * The one pino configuration: Fastify's own logger (a child per request carrying its id) and nestjs-pino
 * (which binds that child to the request's async context, so every class logger carries the request id)
 * share it. Serialising every header, as pino-http's middleware did, cost a visible share of a routed
 * read (docs/designs/performance.md): a request is one short line.
 */
export function loggerOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.logLevel,
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    ...(prettyLogs(config)
      ? {
          transport: {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
}

/**
 * One line per request, when it completes (Fastify's default logs it on arrival too): method, path (no
 * query string: it may carry cursors and search text), status, duration, tenant; the request id is the
 * line's `reqId`. None in tests.
 */
class OneLinePerRequest extends LogController {
  constructor(
    options: ConstructorParameters<typeof LogController>[0],
    private readonly tenantHeader: string,
  ) {
    super(options);
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const routed = (request as FastifyRequest & { tenant?: { slug: string } }).tenant?.slug;
    const header = request.headers[this.tenantHeader];
    const tenant = routed ?? (typeof header === 'string' && SLUG.test(header) ? header : undefined);
    const line = {
      method: request.method,
      path: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(tenant ? { tenant } : {}),
    };
    const text = `${line.method} ${line.path} ${line.status} ${line.ms} ms${tenant ? ` [${tenant}]` : ''}`;
    if (error) reply.log.error({ ...line, err: error }, text);
    else reply.log.info(line, text);
  }
}

export function requestLogController(config: AppConfig): LogController {
  return new OneLinePerRequest(
    { disableRequestLogging: config.nodeEnv === 'test' },
    config.tenantHeader.toLowerCase(),
  );
}
