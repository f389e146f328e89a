/**
 * `npm run bench`: measures, in one run on this machine, the figures docs/performance.md records.
 *   1. authenticated tenant read (GET /users/me through the engine) vs the same route on one static DataSource;
 *   2. first request to a cold tenant vs a warm one (p50);
 *   3. onboarding (HTTP, p50) vs a bare `CREATE DATABASE … TEMPLATE` (p50);
 *   4. migrating BENCH_FLEET_TENANTS (300) tenants with one small migration, --concurrency 4 vs 1.
 * Postgres: DATABASE_URL's server when set, else a throw-away embedded cluster. BENCH_SECONDS sets the
 * length of each load round (default 5), BENCH_CONNECTIONS the concurrency (default 32).
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../src/common/net/free-port.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { dropDatabase, withAdminClient } from '../src/database/postgres-admin.js';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { dropTenantDatabase } from '../src/tenancy/tenant-database.admin.js';
import { tenantIdentity } from '../src/tenancy/tenant-identity.js';
import { ms, percentile, timed } from './stats.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const TENANTS = 15;
const FLEET = Number(process.env.BENCH_FLEET_TENANTS ?? 300);
const PASSWORD = 'benchmark password';

const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({
      dir: join(mkdtempSync(join(tmpdir(), 'tenantry-bench-')), 'pg'),
      persistent: false,
    });
const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
const coreDb = `tenantry_bench_${randomBytes(4).toString('hex')}`;
const coreUrl = withDatabase(serverUrl, coreDb);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = {
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'production',
  PORT: String(port),
  DATABASE_URL: coreUrl,
  LOG_LEVEL: 'silent',
  BCRYPT_ROUNDS: '4',
  JWT_CORE_SECRET: randomBytes(32).toString('hex'),
  JWT_TENANT_SECRET: randomBytes(32).toString('hex'),
  TENANT_DB_SECRET: randomBytes(32).toString('hex'),
};

/** The CLI, as an operator runs it (test hooks on, to add the benchmark's migrations). */
function cli(args: string[], extra: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'cli.js'), ...args], {
      env: { ...env, NODE_ENV: 'test', ...extra },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`cli ${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}

async function startServer(extra: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'server.js')], {
    env: { ...env, BENCH_STATIC_TENANT_ID: '00000000-0000-0000-0000-000000000000', ...extra },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function call(
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

async function load(path: string, headers: Record<string, string>, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `${base}${path}`,
    headers,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

let server = await startServer();
const tenantIds: string[] = [];
try {
  // An owner and a first tenant (which also builds the template, outside the timings).
  const owner = await call('POST', '/api/v1/core/auth/register', {
    email: 'bench@example.com',
    password: PASSWORD,
    name: 'Bench',
  });
  const core = new pg.Client({ connectionString: coreUrl });
  await core.connect();
  await core.query('UPDATE owners SET email_verified_at = now() WHERE id = $1', [owner.id]);
  await core.end();
  const { accessToken: ownerToken } = await call('POST', '/api/v1/core/auth/login', {
    email: 'bench@example.com',
    password: PASSWORD,
  });
  const auth = { authorization: `Bearer ${ownerToken}` };
  tenantIds.push(
    (await call('POST', '/api/v1/core/organizations', { name: 'Bench', slug: 'bench-main' }, auth)).id,
  );

  // 3. Onboarding vs bare CREATE DATABASE … TEMPLATE.
  const onboarding: number[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const [took, org] = await timed(() =>
      call('POST', '/api/v1/core/organizations', { name: `T${i}`, slug: `bench-${i}` }, auth),
    );
    onboarding.push(took);
    tenantIds.push(org.id);
  }
  const bare: number[] = [];
  await withAdminClient(serverUrl, async (admin) => {
    const [{ datname: template }] = (
      await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'tenantry_template_%' LIMIT 1`)
    ).rows;
    for (let i = 0; i < TENANTS; i++) {
      const name = `bench_bare_${randomBytes(4).toString('hex')}`;
      const [took] = await timed(() => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      bare.push(took);
      await admin.query(`DROP DATABASE "${name}"`);
    }
  });

  // 3b. Onboarding that finds a spare database ready (TENANT_SPARES=2): the pool refills between onboardings,
  //     as it does when sign-ups are not back to back; each timing starts once a spare is ready.
  await stopServer(server);
  server = await startServer({ TENANT_SPARES: '2' });
  const spareReady = async () => {
    const db = new pg.Client({ connectionString: coreUrl });
    await db.connect();
    try {
      for (let i = 0; i < 600; i++) {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM organizations WHERE status = 'spare' AND schema_version IS NOT NULL`,
        );
        if (rows[0].n > 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no spare became ready');
    } finally {
      await db.end();
    }
  };
  const onboardingSpare: number[] = [];
  for (let i = 0; i < TENANTS; i++) {
    await spareReady();
    const [took, org] = await timed(() =>
      call('POST', '/api/v1/core/organizations', { name: `S${i}`, slug: `spare-${i}` }, auth),
    );
    onboardingSpare.push(took);
    tenantIds.push(org.id);
  }

  // Tenant tokens, taken before the restart so that fetching them does not warm the tenants.
  const tokens: Record<string, string> = {};
  for (const slug of ['bench-main', ...Array.from({ length: TENANTS }, (_, i) => `bench-${i}`)]) {
    tokens[slug] = (
      await call('POST', '/api/v1/auth/exchange', undefined, { ...auth, 'x-tenant': slug })
    ).accessToken;
  }

  // 2. Cold vs warm first request, on a freshly started instance.
  await stopServer(server);
  server = await startServer();
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const headers = { authorization: `Bearer ${tokens[`bench-${i}`]}`, 'x-tenant': `bench-${i}` };
    cold.push((await timed(() => call('GET', '/api/v1/users/me', undefined, headers)))[0]);
    warm.push((await timed(() => call('GET', '/api/v1/users/me', undefined, headers)))[0]);
  }

  // 1. Throughput: the engine's route vs the static baseline (a server whose baseline serves bench-main),
  //    interleaved rounds after a warm-up.
  await stopServer(server);
  server = await startServer({ BENCH_STATIC_TENANT_ID: tenantIds[0] });
  const headers = { authorization: `Bearer ${tokens['bench-main']}`, 'x-tenant': 'bench-main' };
  await load('/api/v1/users/me', headers, 2);
  await load('/api/v1/bench/static/users/me', headers, 2);
  const adminId = (await call('GET', '/api/v1/users/me', undefined, headers)).id;
  await load(`/api/v1/users/${adminId}`, headers, 2);
  const rps = { me: [0, 0], byId: [0, 0] };
  for (let round = 0; round < 2; round++) {
    rps.me[0] += (await load('/api/v1/users/me', headers, SECONDS)) / 2;
    rps.me[1] += (await load('/api/v1/bench/static/users/me', headers, SECONDS)) / 2;
    rps.byId[0] += (await load(`/api/v1/users/${adminId}`, headers, SECONDS)) / 2;
    rps.byId[1] += (await load(`/api/v1/bench/static/users/${adminId}`, headers, SECONDS)) / 2;
  }

  // 4. Fleet migration: FLEET tenants, one small migration each, --concurrency 4 vs 1 (through the CLI).
  const fleetSlugs = Array.from({ length: FLEET - tenantIds.length }, (_, i) => `fleet-${i}`);
  let nextSlug = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (nextSlug < fleetSlugs.length) {
        const slug = fleetSlugs[nextSlug++];
        tenantIds.push((await call('POST', '/api/v1/core/organizations', { name: slug, slug }, auth)).id);
      }
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-bench-migrations-'));
  const migrationFile = (name: string) => {
    const file = join(dir, `${name}.mjs`);
    const table = name.toLowerCase();
    writeFileSync(
      file,
      `export class ${name} { name = '${name}'; async up(q) { await q.query('CREATE TABLE ${table} (id int)'); } async down(q) { await q.query('DROP TABLE ${table}'); } }\n`,
    );
    return file;
  };
  const first = migrationFile('BenchOne1895100000000');
  const second = migrationFile('BenchTwo1895100000001');
  const fleetMs = async (concurrency: number, migrations: string) => {
    const output = await cli(['migrate:tenants', '--concurrency', String(concurrency)], {
      TENANTRY_EXTRA_TENANT_MIGRATIONS: migrations,
    });
    const match = /(\d+) tenants in (\d+) ms: (\d+) migrated/.exec(output);
    if (!match || Number(match[3]) !== Number(match[1]))
      throw new Error(`fleet run did not migrate every tenant:\n${output}`);
    return { tenants: Number(match[1]), ms: Number(match[2]) };
  };
  const serial = await fleetMs(1, first);
  const parallel = await fleetMs(4, `${first},${second}`);

  const rows = [
    ['GET /users/me, engine', `${rps.me[0].toFixed(0)} req/s`, ''],
    ['GET /users/me, one static DataSource', `${rps.me[1].toFixed(0)} req/s`, ''],
    ['  ratio engine / static (goal ≥ 0.95)', (rps.me[0] / rps.me[1]).toFixed(3), ''],
    ['GET /users/:id, engine (manager + service)', `${rps.byId[0].toFixed(0)} req/s`, ''],
    ['GET /users/:id, one static DataSource', `${rps.byId[1].toFixed(0)} req/s`, ''],
    ['  ratio engine / static (goal ≥ 0.95)', (rps.byId[0] / rps.byId[1]).toFixed(3), ''],
    ['first request, cold tenant (p50)', ms(percentile(cold, 50)), `p90 ${ms(percentile(cold, 90))}`],
    ['request, warm tenant (p50)', ms(percentile(warm, 50)), `p90 ${ms(percentile(warm, 90))}`],
    ['  ratio cold / warm', (percentile(cold, 50) / percentile(warm, 50)).toFixed(2), ''],
    [
      'onboarding over HTTP, no spare (p50)',
      ms(percentile(onboarding, 50)),
      `p90 ${ms(percentile(onboarding, 90))}`,
    ],
    ['bare CREATE DATABASE … TEMPLATE (p50)', ms(percentile(bare, 50)), `p90 ${ms(percentile(bare, 90))}`],
    [
      '  ratio onboarding / bare (goal ≤ 1.3)',
      (percentile(onboarding, 50) / percentile(bare, 50)).toFixed(2),
      '',
    ],
    [
      'onboarding with a spare ready (p50)',
      ms(percentile(onboardingSpare, 50)),
      `p90 ${ms(percentile(onboardingSpare, 90))}`,
    ],
    [
      '  ratio onboarding (spare) / bare (goal ≤ 1.3)',
      (percentile(onboardingSpare, 50) / percentile(bare, 50)).toFixed(2),
      '',
    ],
    [`migrate ${serial.tenants} tenants, --concurrency 1`, `${serial.ms} ms`, ''],
    [`migrate ${parallel.tenants} tenants, --concurrency 4`, `${parallel.ms} ms`, ''],
    ['  ratio speed-up 4 vs 1 (goal ≥ 3)', (serial.ms / parallel.ms).toFixed(2), ''],
  ];
  console.log(
    `\nTenantry benchmark — ${CONNECTIONS} connections, ${SECONDS} s rounds, ${TENANTS} tenants, Postgres ${embedded ? 'embedded' : 'from DATABASE_URL'}`,
  );
  for (const [name, value, extra] of rows) console.log(`${name.padEnd(42)} ${value.padStart(12)}  ${extra}`);
} finally {
  await stopServer(server).catch(() => undefined);
  // Every organization of the bench's core database (spares included) goes, with its database and role.
  const everyTenant = await (async () => {
    const db = new pg.Client({ connectionString: coreUrl });
    try {
      await db.connect();
      return (await db.query<{ id: string }>('SELECT id FROM organizations')).rows.map((r) => r.id);
    } catch {
      return [];
    } finally {
      await db.end().catch(() => undefined);
    }
  })();
  for (const id of new Set([...tenantIds, ...everyTenant])) {
    await dropTenantDatabase(serverUrl, tenantIdentity(id)).catch(() => undefined);
  }
  await dropDatabase(serverUrl, coreDb).catch(() => undefined);
  await embedded?.stop();
}
