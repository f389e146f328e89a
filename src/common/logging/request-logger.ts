import { LogController } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from '../../config/app-config.js';

/**
 * The one pino configuration: Fastify's own logger (a child per request carrying its id) and nestjs-pino
 * (which binds that child to the request's async context, so every class logger carries the request id)
 * share it. Serialising every header, as pino-http's middleware did, cost a visible share of a routed
 * read (docs/performance.md): a request is one short line.
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
  };
}

/** Logs a request once, when it completes (Fastify's default logs it on arrival too); none in tests. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
}

export function requestLogController(config: AppConfig): LogController {
  return new OneLinePerRequest({ disableRequestLogging: config.nodeEnv === 'test' });
}
