import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../src/common/net/free-port.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { dropDatabase, withAdminClient } from '../src/database/postgres-admin.js';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { dropTenantDatabase, tenantIdentity } from '../src/tenancy/index.js';
import { timed } from './stats.js';
import type { Target } from './wrk.js';

/** The build's root (dist/): scripts are named relative to it. */
const ROOT = join(import.meta.dirname, '..');
const PASSWORD = 'benchmark password';

/** The embedded server's max_connections (BENCH_MAX_CONNECTIONS, default 100: the small server). */
export const BENCH_MAX_CONNECTIONS = Number(process.env.BENCH_MAX_CONNECTIONS ?? 100);

/** Postgres for the bench: DATABASE_URL's server, else an embedded one with BENCH_MAX_CONNECTIONS. */
export async function benchPostgres() {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dir: join(mkdtempSync(join(tmpdir(), 'tenantry-bench-')), 'pg'),
        persistent: false,
        maxConnections: BENCH_MAX_CONNECTIONS,
      });
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const coreDb = `tenantry_bench_${randomBytes(4).toString('hex')}`;
  return { serverUrl, coreDb, coreUrl: withDatabase(serverUrl, coreDb), embedded };
}

export type BenchPostgres = Awaited<ReturnType<typeof benchPostgres>>;

export const BENCH_METRICS_TOKEN = randomBytes(16).toString('hex');

export function benchEnv(db: BenchPostgres): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    DATABASE_URL: db.coreUrl,
    // The request log line at info, as production pays it (written to a file: startProcess).
    LOG_LEVEL: 'info',
    BCRYPT_ROUNDS: '4',
    JWT_CORE_SECRET: randomBytes(32).toString('hex'),
    JWT_TENANT_SECRET: randomBytes(32).toString('hex'),
    TENANT_DB_SECRET: randomBytes(32).toString('hex'),
    // The operator plane on, as a deployment whose operators use it runs.
    JWT_OPERATOR_SECRET: randomBytes(32).toString('hex'),
    // Production hides /metrics without a token; the bench reads the pool gauges through it.
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    // Setup signs in 1,000 times from one address: the per-IP auth limit is not what the bench measures.
    AUTH_REQUESTS_PER_IP_PER_MINUTE: '1000000',
  };
}

export interface Proc {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

/** A server process (the service, or the plain baseline) on a free port; resolves once it listens. */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Proc> {
  const port = await freePort();
  const plainServer = script.endsWith('plain-server.js');
  // The service's log (one JSON line per request at info) goes to a file, as a deployment's would.
  const log = plainServer
    ? 'pipe'
    : openSync(join(mkdtempSync(join(tmpdir(), 'tenantry-bench-log-')), 'service.log'), 'a');
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, script)], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', log, 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  if (plainServer) {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    });
  } else {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
      const ok = await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 300) throw new Error(`${script} did not become ready`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    child,
    base,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, string>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, string>;
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Owners (10 organizations each) and `count` tenants with an admin token each; onboarding times (ms). */
export async function onboardTenants(
  base: string,
  coreUrl: string,
  count: number,
): Promise<{ targets: Target[]; onboardingMs: number[] }> {
  const targets: Target[] = [];
  const onboardingMs: number[] = [];
  const core = new pg.Client({ connectionString: coreUrl });
  await core.connect();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (next < count) {
          const group = next;
          next = Math.min(count, next + 10);
          const email = `bench-${group}@example.com`;
          const owner = await call(base, 'POST', '/api/v1/core/auth/register', {
            email,
            password: PASSWORD,
            name: 'B',
          });
          await core.query('UPDATE owners SET email_verified_at = now() WHERE id = $1', [owner.id]);
          const { accessToken } = await call(base, 'POST', '/api/v1/core/auth/login', {
            email,
            password: PASSWORD,
          });
          const auth = { authorization: `Bearer ${accessToken}` };
          for (let i = group; i < Math.min(count, group + 10); i++) {
            const slug = `bench-${i}`;
            const [took] = await timed(() =>
              call(base, 'POST', '/api/v1/core/organizations', { name: slug, slug }, auth),
            );
            onboardingMs.push(took);
            const token = (
              await call(base, 'POST', '/api/v1/auth/exchange', undefined, { ...auth, 'x-tenant': slug })
            ).accessToken;
            targets[i] = { slug, token };
          }
        }
      }),
    );
  } finally {
    await core.end();
  }
  return { targets, onboardingMs };
}

/**
 * CHECKPOINT on the server, then the kernel's own flush (`sync`); the time both took, in ms. Onboarding
 * hundreds of databases leaves GBs of dirty pages whose writeback halves what the next minute measures.
 */
export async function settle(serverUrl: string): Promise<number> {
  const started = performance.now();
  await withAdminClient(serverUrl, (client) => client.query('CHECKPOINT'));
  execFileSync('sync');
  return performance.now() - started;
}

/** Drops every organization's database and role, then the bench's core database (and the cluster). */
export async function cleanUp(db: BenchPostgres): Promise<void> {
  const core = new pg.Client({ connectionString: db.coreUrl });
  const ids = await core
    .connect()
    .then(() => core.query<{ id: string }>('SELECT id FROM organizations'))
    .then((r) => r.rows.map((row) => row.id))
    .catch(() => [] as string[])
    .finally(() => core.end().catch(() => undefined));
  for (const id of ids) await dropTenantDatabase(db.serverUrl, tenantIdentity(id)).catch(() => undefined);
  await dropDatabase(db.serverUrl, db.coreDb).catch(() => undefined);
  await db.embedded?.stop();
}
