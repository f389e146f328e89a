import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, prepareDatabase } from '../../src/bootstrap.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/config.loader.js';
import pg from 'pg';
import { dropDatabase } from '../../src/database/postgres-admin.js';
import { dropTenantDatabase, tenantIdentity } from '../../src/tenancy/index.js';
import { HttpClient } from './http.js';
import { scratchDatabaseUrl, testServerUrl } from './servers.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  coreUrl: string;
  coreDatabase: string;
  http: HttpClient;
  close(): Promise<void>;
}

export const TEST_ENV = {
  NODE_ENV: 'test',
  JWT_CORE_SECRET: 'test-core-secret-0123456789-abcdefghijkl',
  JWT_TENANT_SECRET: 'test-tenant-secret-0123456789-abcdefghij',
  TENANT_DB_SECRET: 'test-tenant-db-secret-0123456789-abcdefg',
  BCRYPT_ROUNDS: '4',
  MAIL_POLL_MS: '100',
  MAIL_RETRY_BASE_MS: '200',
  // The suite signs in thousands of times from one address; the abuse limits have their own spec.
  AUTH_REQUESTS_PER_IP_PER_MINUTE: '1000000',
  LOGIN_FAILURES_PER_ACCOUNT: '1000000',
  MAILS_PER_ADDRESS_PER_HOUR: '1000000',
};

/** The production configuration (secrets given, docs and metrics closed) that security specs run in. */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  // Production logs at info; the suite's output stays readable.
  LOG_LEVEL: 'silent',
  JWT_CORE_SECRET: 'c'.repeat(40),
  JWT_TENANT_SECRET: 't'.repeat(40),
  TENANT_DB_SECRET: 'd'.repeat(40),
};

/** Drops the databases and roles of every organization of a core database (tests leave nothing behind). */
export async function dropTenantDatabases(coreUrl: string): Promise<void> {
  const core = new pg.Client({ connectionString: coreUrl });
  await core.connect();
  const { rows } = await core.query<{ id: string }>('SELECT id FROM organizations');
  await core.end();
  for (const { id } of rows) await dropTenantDatabase(testServerUrl(), tenantIdentity(id));
}

/** Boots the real application (same bootstrap as main.ts) on its own core database and a free port. */
export async function startTestApp(
  env: Record<string, string> = {},
  /** Configuration the environment cannot say (e.g. `runWorkers: false`: this instance takes no jobs). */
  overrides: Partial<AppConfig> = {},
): Promise<TestApp> {
  const scratch = scratchDatabaseUrl();
  const url = env.DATABASE_URL ?? scratch.url;
  const name = env.DATABASE_URL ? new URL(url).pathname.slice(1) : scratch.name;
  const config = {
    ...loadConfig({
      ...TEST_ENV,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tenantry-data-')),
      DATABASE_URL: url,
      ...env,
    }),
    ...overrides,
  };
  const db = await prepareDatabase(config);
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, db.coreUrl);
  } catch (err) {
    if (!env.DATABASE_URL) await dropDatabase(testServerUrl(), name);
    throw err;
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    config,
    baseUrl,
    coreUrl: db.coreUrl,
    coreDatabase: name,
    http: new HttpClient(baseUrl),
    close: async () => {
      await app.close();
      await dropTenantDatabases(db.coreUrl);
      await dropDatabase(testServerUrl(), name);
    },
  };
}
