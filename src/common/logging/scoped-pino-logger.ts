import { Logger, PinoLogger, type Params } from 'nestjs-pino';
import type pino from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import { loggerOptions } from './request-logger.js';

/** Nest's start-up chatter (one line per module and per route): `debug`, not `info`. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * nestjs-pino's logger, bound to the running request's logger (Fastify's child carrying the request id)
 * through a store the service already keeps per request (TenantScope, entered by one `preHandler` hook),
 * instead of nestjs-pino's own middleware: that one needed @fastify/middie on every request and a second
 * AsyncLocalStorage (together ~5 % of a routed read's CPU, docs/designs/performance.md). Outside a request it logs
 * through the root logger, as nestjs-pino does.
 */
class RequestBoundPinoLogger extends PinoLogger {
  constructor(
    params: Params,
    private readonly requestLog: () => pino.Logger | undefined,
  ) {
    super(params);
  }

  override get logger(): pino.Logger {
    return this.requestLog() ?? super.logger;
  }
}

class AppLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) this.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/** The application's LoggerService: every `new Logger(Context)` of Nest logs through it. */
export function createAppLogger(config: AppConfig, requestLog: () => pino.Logger | undefined): Logger {
  const params: Params = { pinoHttp: loggerOptions(config), useExisting: true };
  return new AppLogger(new RequestBoundPinoLogger(params, requestLog), params);
}
