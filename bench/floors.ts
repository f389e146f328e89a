import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { withAdminClient } from '../src/database/postgres-admin.js';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantDatabaseUrl, tenantIdentity } from '../src/tenancy/index.js';
import { timed } from './stats.js';

/** What a plain client pays per request with no pool: open a connection as the tenant, query, close. */
export async function connectPerRequestFloor(
  serverUrl: string,
  dbSecret: string,
  tenantIds: string[],
  concurrency: number,
  seconds: number,
): Promise<{ rps: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const id = tenantIds[Math.floor(Math.random() * tenantIds.length)];
        const started = performance.now();
        const client = new pg.Client({ connectionString: tenantDatabaseUrl(serverUrl, id, dbSecret) });
        await client.connect();
        await client.query('SELECT id, email, name, role FROM users LIMIT 1');
        await client.end();
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
  };
}

/**
 * The physical floor of a cold request's cost, for the cold/warm ratio: a plain client's connect + first
 * query as the tenant (a new backend) vs the same query on a connection it already holds (p50 of each).
 */
export async function coldWarmFloor(
  serverUrl: string,
  dbSecret: string,
  tenantIds: string[],
): Promise<{ cold: number; warm: number }> {
  const cold: number[] = [];
  const warm: number[] = [];
  const sql = 'SELECT id, email, name, role FROM users WHERE email = $1';
  for (const id of tenantIds) {
    const started = performance.now();
    const client = new pg.Client({ connectionString: tenantDatabaseUrl(serverUrl, id, dbSecret) });
    await client.connect();
    await client.query(sql, ['nobody@example.com']);
    cold.push(performance.now() - started);
    const again = performance.now();
    await client.query(sql, ['nobody@example.com']);
    warm.push(performance.now() - again);
    await client.end();
  }
  const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { cold: p50(cold), warm: p50(warm) };
}

/** Peak tenant and total client connections on the server, sampled every `everyMs` while `during` runs. */
export async function peakConnections<T>(
  serverUrl: string,
  everyMs: number,
  during: () => Promise<T>,
): Promise<{ result: T; tenant: number; total: number }> {
  const sampler = new pg.Client({ connectionString: serverUrl, application_name: 'tenantry-bench-sampler' });
  await sampler.connect();
  let tenant = 0;
  let total = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await sampler.query<{ tenant: number; total: number }>(
        `SELECT count(*) FILTER (WHERE application_name = 'tenantry-tenant')::int AS tenant,
                count(*)::int AS total FROM pg_stat_activity WHERE backend_type = 'client backend'`,
      );
      tenant = Math.max(tenant, rows[0].tenant);
      total = Math.max(total, rows[0].total);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  try {
    return { result: await during(), tenant, total };
  } finally {
    running = false;
    await loop;
    await sampler.end();
  }
}

/**
 * The same DDL as the CLI's migration, by a plain script: an admin session in the tenant's database as its
 * owner role (the login role has no DDL since the role split), one transaction, close.
 */
export async function plainMigration(
  serverUrl: string,
  tenantIds: string[],
  concurrency: number,
  timestamp: number,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tenantIds.length) {
        const id = tenantIds[next++];
        const { dbName, ownerRole } = tenantIdentity(id);
        const client = new pg.Client({ connectionString: withDatabase(serverUrl, dbName) });
        client.on('error', () => undefined); // a failure surfaces from the query, not as a crash at clean-up
        await client.connect();
        try {
          await client.query(`SET ROLE "${ownerRole}"`);
          await client.query('BEGIN');
          await client.query(`CREATE TABLE benchplain${timestamp} (id int)`);
          await client.query(`INSERT INTO migrations ("timestamp", name) VALUES ($1, $2)`, [
            timestamp,
            `BenchPlain${timestamp}`,
          ]);
          await client.query('COMMIT');
        } finally {
          await client.end();
        }
      }
    }),
  );
  return performance.now() - started;
}

/** A test-only tenant migration (one CREATE TABLE) in `dir`, for the CLI's extra migrations; its path. */
export function benchMigration(dir: string, timestamp: number): string {
  const name = `BenchOne${timestamp}`;
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `export class ${name} { name = '${name}'; async up(q) { await q.query('CREATE TABLE benchone${timestamp} (id int)'); } async down(q) { await q.query('DROP TABLE benchone${timestamp}'); } }\n`,
  );
  return file;
}

/** `migrate:tenants` through the CLI (test hooks on, to add the bench's migration); its own timing (ms). */
export function cliMigration(
  env: Record<string, string>,
  migrationFile: string,
  slugs: string[],
  concurrency: number,
): Promise<number> {
  const args = [
    'migrate:tenants',
    '--concurrency',
    String(concurrency),
    ...slugs.flatMap((s) => ['--tenant', s]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'cli.js'), ...args], {
      env: { ...env, NODE_ENV: 'test', TENANTRY_EXTRA_TENANT_MIGRATIONS: migrationFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.once('exit', (code) => {
      const match = /(\d+) tenants in (\d+) ms: (\d+) migrated/.exec(out);
      if (code !== 0 || !match || match[1] !== match[3]) reject(new Error(`migrate:tenants failed:\n${out}`));
      else resolve(Number(match[2]));
    });
  });
}

/** The ids of the first `count` bench tenants (`bench-<i>`), in slug order. */
export async function ids(coreUrl: string, count: number): Promise<string[]> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: coreUrl });
  await client.connect();
  const { rows: found } = await client.query<{ id: string }>(
    `SELECT id FROM organizations WHERE slug = ANY($1) ORDER BY slug`,
    [Array.from({ length: count }, (_, i) => `bench-${i}`)],
  );
  await client.end();
  return found.map((r) => r.id);
}

/** `n` bare `CREATE DATABASE … TEMPLATE` of the tenant template: onboarding's floor; each ms. */
export async function bareCreateDatabase(serverUrl: string, n: number): Promise<number[]> {
  const took: number[] = [];
  await withAdminClient(serverUrl, async (admin) => {
    const { rows: t } = await admin.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'tenantry_template_%' LIMIT 1`,
    );
    for (let i = 0; i < n; i++) {
      const name = `bench_bare_${randomBytes(4).toString('hex')}`;
      took.push((await timed(() => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${t[0].datname}"`)))[0]);
      await admin.query(`DROP DATABASE "${name}"`);
    }
  });
  return took;
}
