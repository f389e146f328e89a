/**
 * `npm run bench:copies`: a tenant's backup and restore through the CLI (no client programs: the schema
 * rebuilt by its migrations, the rows as COPY text) against Postgres's own `pg_dump -Fc` and `createdb +
 * pg_restore --single-transaction` of the same database, on a Postgres 15 server whose client programs
 * match it. Each side is run twice, ABBA (ours, theirs, theirs, ours); the CLI's own start (a `tenants:list`)
 * is measured too, since every CLI command pays it. BENCH_COPY_ROWS: rows in each of items, audit_logs and
 * products (default 50,000).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { benchEnv, call, onboardTenants, startProcess } from './setup.js';
import { timed } from './stats.js';
import { startSystemPostgres } from './system-postgres.js';

const ROWS = Number(process.env.BENCH_COPY_ROWS ?? 50_000);
const CLI = join(import.meta.dirname, '..', 'cli.js');

/** A session on the database at `url` itself (withAdminClient goes to the server's `postgres`). */
async function on<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const server = await startSystemPostgres();
const db = {
  serverUrl: server.url,
  coreDb: 'tenantry_copies',
  coreUrl: withDatabase(server.url, 'tenantry_copies'),
};
const env = {
  ...benchEnv({ ...db, embedded: undefined }),
  DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-copies-')),
};
const service = await startProcess('src/main.js', env);
const dir = mkdtempSync(join(tmpdir(), 'bench-copies-out-'));
try {
  const { targets } = await onboardTenants(service.base, db.coreUrl, 1);
  const [{ slug, token }] = targets;
  const headers = { authorization: `Bearer ${token}`, 'x-tenant': slug };
  const product = await call(
    service.base,
    'POST',
    '/api/v1/products',
    { sku: 'SKU-1', name: 'Widget' },
    headers,
  );
  await call(
    service.base,
    'POST',
    '/api/v1/items',
    { title: 'An item', body: 'with a body', tags: ['a'] },
    headers,
  );
  // Rows made through the API once, then multiplied in SQL: real rows of the real schema, in bulk.
  const [{ id }] = await on(
    db.coreUrl,
    async (c) => (await c.query<{ id: string }>('SELECT id FROM organizations WHERE slug = $1', [slug])).rows,
  );
  const tenantDb = withDatabase(server.url, tenantIdentity(id).dbName);
  await on(tenantDb, async (c) => {
    await c.query(
      `INSERT INTO products (sku, name, supplier_id) SELECT 'SKU-' || g, 'Product ' || g, NULL FROM generate_series(2, $1) g`,
      [ROWS],
    );
    await c.query(
      `INSERT INTO items (owner_id, title, body, tags)
         SELECT owner_id, 'Item ' || g, repeat('text ', 20), ARRAY['t' || (g % 10)] FROM items, generate_series(2, $1) g`,
      [ROWS],
    );
    await c.query(
      `INSERT INTO audit_logs (actor_id, action, entity, entity_id, changes)
         SELECT actor_id, action, entity, entity_id, changes FROM audit_logs, generate_series(1, $1) g LIMIT $1`,
      [ROWS],
    );
  });
  void product;
  const size = await on(server.url, async (c) =>
    Number((await c.query('SELECT pg_database_size($1) AS n', [tenantIdentity(id).dbName])).rows[0].n),
  );
  const cli = (args: string[]) =>
    execFileSync(process.execPath, [CLI, ...args], { env: { ...env, LOG_LEVEL: '' }, stdio: 'pipe' });
  const tools = (name: string, args: string[]) =>
    execFileSync(join(server.binDir, name), args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PGPASSWORD: decodeURIComponent(new URL(server.url).password) },
    });
  let n = 0;
  const ours = async () => {
    const file = join(dir, `ours-${++n}.backup`);
    const [backup] = await timed(async () => cli(['tenants:backup', '--tenant', slug, '--out', file]));
    const [restore] = await timed(async () =>
      cli(['tenants:restore', '--file', file, '--slug', `restored-${n}`, '--owner', 'bench-0@example.com']),
    );
    return { backup, restore, bytes: statSync(file).size };
  };
  const theirs = async () => {
    const file = join(dir, `theirs-${++n}.dump`);
    const [backup] = await timed(async () => tools('pg_dump', ['-Fc', '-f', file, tenantDb]));
    const target = `theirs_${n}`;
    const [restore] = await timed(async () => {
      tools('createdb', ['-h', '127.0.0.1', '-p', new URL(server.url).port, '-U', 'postgres', target]);
      tools('pg_restore', [
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        '-d',
        withDatabase(server.url, target),
        file,
      ]);
    });
    return { backup, restore, bytes: statSync(file).size };
  };
  const [cliStart] = await timed(async () => cli(['tenants:list']));
  const runs = { ours: [await ours()], theirs: [await theirs()] };
  runs.theirs.push(await theirs());
  runs.ours.push(await ours());
  const mean = (side: 'ours' | 'theirs', what: 'backup' | 'restore') =>
    (runs[side][0][what] + runs[side][1][what]) / 2;
  const line = (what: 'backup' | 'restore') =>
    `${what}: ours ${mean('ours', what).toFixed(0)} ms (${(mean('ours', what) - cliStart).toFixed(0)} ms past the CLI's start), ` +
    `pg tools ${mean('theirs', what).toFixed(0)} ms; ratio ${(mean('ours', what) / mean('theirs', what)).toFixed(2)} ` +
    `(${((mean('ours', what) - cliStart) / mean('theirs', what)).toFixed(2)} without the CLI's start)`;
  console.log(
    `tenant database ${(size / 1e6).toFixed(1)} MB (${ROWS} rows in each of products, items, audit_logs); CLI start ${cliStart.toFixed(0)} ms`,
  );
  console.log(line('backup'));
  console.log(line('restore'));
  console.log(
    `archive: ours ${(runs.ours[0].bytes / 1e6).toFixed(1)} MB, pg_dump -Fc ${(runs.theirs[0].bytes / 1e6).toFixed(1)} MB`,
  );
} finally {
  await service.stop();
  await server.stop();
}
