import { TenantScope } from './tenancy/index.js';
import { RequestMethod, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { createAppLogger } from './common/logging/scoped-pino-logger.js';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module.js';
import { loggerOptions, requestLogController } from './common/logging/request-logger.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import { registerJsonBodyParser } from './common/http/json-body.js';
import fastifyMultipart from '@fastify/multipart';
import { frameworkErrors } from './common/errors/problem.filter.js';
import { AbuseLimits } from './common/limits/abuse-limits.service.js';
import { registerAuthRequestLimit } from './common/limits/limits.module.js';
import {
  applyHttpSecurity,
  clientErrorHandler,
  requestIdOf,
  trustProxyOf,
} from './common/http/http-security.js';
import { setupSwagger } from './common/openapi/swagger.js';
import { ERROR_MAPPINGS } from './error-codes.js';
import { assertPrivateApiPatches } from './database/private-api-guards.js';
import { AppConfig } from './config/app-config.js';
import { prepareCoreDatabase } from './database/core-database.js';
import { SCHEMAS } from './schemas.js';
import { EmbeddedServer, startEmbeddedPostgres } from './database/embedded-postgres.js';
import { ensureDatabase } from './database/postgres-admin.js';
import { withDatabase } from './database/postgres-identifiers.js';
import { pitrLayout } from './backups/pitr/pitr-layout.js';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT_BYTES = 1024 * 1024;
const EMBEDDED_CORE_DATABASE = 'tenantry';

export interface Database {
  coreUrl: string;
  embedded?: EmbeddedServer;
}

/** Resolves the core database: `DATABASE_URL`, or embedded Postgres under `<dataDir>/pg`. Then migrates it. */
export interface PrepareOptions {
  log?: (line: string) => void;
  /** The service migrates the core database at start; the CLI leaves that to `migrate:core`. */
  migrateCore?: boolean;
}

export async function prepareDatabase(config: AppConfig, options: PrepareOptions = {}): Promise<Database> {
  // Before the first connection: the pinned libraries still have the private members our patches use.
  assertPrivateApiPatches();
  const log = options.log ?? (() => undefined);
  let embedded: EmbeddedServer | undefined;
  let coreUrl = config.databaseUrl;
  if (!coreUrl) {
    embedded = await startEmbeddedPostgres({
      dir: join(config.dataDir, 'pg'),
      log,
      // The embedded server is the primary: its WAL goes where point-in-time restores look for it.
      archiveDir: config.jobs.pitrEnabled ? pitrLayout(config.dataDir, 'primary').wal : undefined,
    });
    coreUrl = withDatabase(embedded.url, EMBEDDED_CORE_DATABASE);
  }
  try {
    if (options.migrateCore === false) await ensureDatabase(coreUrl);
    else await prepareCoreDatabase(coreUrl, SCHEMAS.core.migrations);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  return { coreUrl, embedded };
}

/** `extraModules` lets benchmarks mount routes of their own next to the real ones. */
export async function createApp(
  config: AppConfig,
  coreUrl: string,
  extraModules: Type[] = [],
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, coreUrl, extraModules),
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      // Slow clients (docs/reference/api.md, "Timeouts"): header lines that trickle, bodies that never end, idle
      // keep-alive sockets. Node checks the first two every `connectionsCheckingInterval`.
      http: { headersTimeout: config.http.headersTimeoutMs, connectionsCheckingInterval: 1000 },
      requestTimeout: config.http.requestTimeoutMs,
      keepAliveTimeout: config.http.keepAliveTimeoutMs,
      // X-Forwarded-For counts only from the proxies TRUST_PROXY names (default: none).
      trustProxy: trustProxyOf(config),
      requestIdHeader: false,
      genReqId: requestIdOf,
      frameworkErrors,
      clientErrorHandler,
      logger: loggerOptions(config),
      logController: requestLogController(config),
    }),
    // Nest's own JSON parser stays off: ours (json-body.ts) replaces Fastify's.
    { bufferLogs: true, bodyParser: false },
  );
  const scope = app.get(TenantScope);
  // The request's own logger (Fastify's child with its id), found through the request the engine's scope holds.
  app.useLogger(createAppLogger(config, () => scope.request<{ log: PinoLogger }>()?.log));
  // JSON only: without this, Fastify's built-in text/plain parser hands handlers a string body.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  // Bounded JSON: depth, value count and per-route size decided before parsing (json-body.ts).
  registerJsonBodyParser(app.getHttpAdapter().getInstance());
  // Uploads are streamed (files/file.service.ts); one file part per request, bounded by FILE_MAX_BYTES.
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.files.maxBytes + 1, files: 1, fields: 0, parts: 1, headerPairs: 100 },
  });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  // The per-IP limit of the /auth/ routes, before their bodies are read (limits.module.ts).
  registerAuthRequestLimit(app.getHttpAdapter().getInstance(), app.get(AbuseLimits));
  app.useGlobalPipes(createValidationPipe());
  await applyHttpSecurity(app, config);
  if (config.http.docsEnabled) setupSwagger(app, config.tenantHeader, ERROR_MAPPINGS);
  return app;
}
