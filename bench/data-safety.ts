/**
 * `npm run bench:data-safety`: point in time and online moves on a tenant of about 1 GB (BENCH_BACKUP_ROWS
 * rows in each of three tables, default 600,000), two embedded servers (wal_level=logical, the primary
 * archiving its WAL). Printed in one run:
 * - point in time: the base backup's time and size; `tenants:restore --at T` (a product deleted after T is back
 *   in the copy), the recovery point, the time to a serving copy (RTO) and its parts;
 * - online move to the second server while a separate process writes items without pause: how long the copy
 *   took, how long the tenant answered 503 (the freeze, goal ≤ 2 s), the writer's replies by status, its
 *   longest wait between acknowledged writes, and whether every acknowledged write is on the target.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pitrLayout } from '../src/backups/pitr/pitr-layout.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { fillTenant } from './fill.js';
import { benchEnv, call, onboardTenants, settle, startProcess } from './setup.js';

const ROWS = Number(process.env.BENCH_BACKUP_ROWS ?? 600_000);
const ROOT = join(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'bench-safety-'));

/** Runs the CLI; resolves its output and time, throws on a non-zero exit. */
function cli(
  env: Record<string, string>,
  args: string[],
): Promise<{ stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'cli.js'), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve({ stdout, stderr, ms: performance.now() - started })
        : reject(new Error(`cli ${args.join(' ')}: exit ${code}: ${stderr.trim()}`)),
    );
  });
}

const query = async <T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
};

const [primary, second] = await Promise.all([
  startEmbeddedPostgres({
    dir: join(dataDir, 'pg'),
    persistent: false,
    maxConnections: 100,
    archiveDir: pitrLayout(dataDir, 'primary').wal,
  }),
  startEmbeddedPostgres({ dir: join(dataDir, 'pg-second'), persistent: false, maxConnections: 100 }),
]);
const coreUrl = withDatabase(primary.url, 'tenantry_bench');
const env = {
  ...benchEnv({ serverUrl: primary.url, coreDb: 'tenantry_bench', coreUrl, embedded: undefined }),
  DATA_DIR: dataDir,
  PITR_ENABLED: 'true',
  LOG_LEVEL: 'warn',
};
const service = await startProcess('src/main.js', env);
const lines: [string, string][] = [];
try {
  const { targets } = await onboardTenants(service.base, coreUrl, 1);
  const [big] = targets;
  const [{ id }] = await query<{ id: string }>(coreUrl, 'SELECT id FROM organizations WHERE slug = $1', [
    big.slug,
  ]);
  const headers = { authorization: `Bearer ${big.token}`, 'x-tenant': big.slug };
  await call(service.base, 'POST', '/api/v1/products', { sku: 'SKU-1', name: 'Widget' }, headers);
  await call(
    service.base,
    'POST',
    '/api/v1/items',
    { title: 'An item', body: 'a body', tags: ['a'] },
    headers,
  );
  const filled = await fillTenant(withDatabase(primary.url, tenantIdentity(id).dbName), ROWS);
  await settle(primary.url);
  lines.push([`tenant: ${ROWS} rows × 3 tables`, `${(filled.bytes / 1e6).toFixed(0)} MB`]);

  // Point in time: a base backup, a product deleted after T, the tenant restored to T.
  const base = await cli(env, ['servers:base-backup']);
  lines.push([
    'base backup of the primary (servers:base-backup)',
    `${(base.ms / 1000).toFixed(1)} s: ${base.stdout.trim()}`,
  ]);
  const kept = await call(
    service.base,
    'POST',
    '/api/v1/products',
    { sku: 'KEPT', name: 'Deleted after T' },
    headers,
  );
  await new Promise((r) => setTimeout(r, 2000));
  const at = new Date();
  await new Promise((r) => setTimeout(r, 2000));
  await query(withDatabase(primary.url, tenantIdentity(id).dbName), 'DELETE FROM products WHERE id = $1', [
    kept.id,
  ]);
  const restored = await cli(env, [
    'tenants:restore',
    '--tenant',
    big.slug,
    '--at',
    at.toISOString(),
    '--slug',
    'back-in-time',
  ]);
  const [{ id: copyId }] = await query<{ id: string }>(
    coreUrl,
    `SELECT id FROM organizations WHERE slug = 'back-in-time'`,
  );
  const back = await query(
    withDatabase(primary.url, tenantIdentity(copyId).dbName),
    `SELECT 1 FROM products WHERE sku = 'KEPT'`,
  );
  lines.push(['tenants:restore --at (RTO: to a serving copy)', `${(restored.ms / 1000).toFixed(1)} s`]);
  lines.push(['  its report', restored.stdout.trim()]);
  lines.push([
    '  the product deleted after T',
    back.length === 1 ? 'back in the copy' : 'MISSING from the copy',
  ]);

  // Online move under continuous writes from another process.
  await cli(env, ['servers:add', '--name', 'second', '--url', second.url]);
  const writer = spawn(
    process.execPath,
    [join(ROOT, 'bench', 'write-load.js'), service.base, big.slug, big.token, '4'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  writer.stdout.on('data', (d) => (out += d));
  await new Promise((r) => setTimeout(r, 2000));
  const moved = await cli(env, ['tenants:move', '--tenant', big.slug, '--to', 'second', '--online']);
  await new Promise((r) => setTimeout(r, 2000));
  writer.kill('SIGTERM');
  await new Promise((r) => writer.once('exit', r));
  const load = JSON.parse(out) as {
    statuses: Record<string, number>;
    acknowledged: string[];
    longestGapMs: number;
  };
  const stored = new Set(
    (
      await query<{ id: string }>(withDatabase(second.url, tenantIdentity(id).dbName), 'SELECT id FROM items')
    ).map((r) => r.id),
  );
  const lost = load.acknowledged.filter((a) => !stored.has(a)).length;
  const copied = /copied in ([\d.]+) s/.exec(moved.stderr)?.[1];
  const frozen = /answered 503 for (\d+) ms/.exec(moved.stdout)?.[1];
  lines.push(['tenants:move --online (whole command)', `${(moved.ms / 1000).toFixed(1)} s`]);
  lines.push(['  the copy, serving all along', `${copied} s`]);
  lines.push(['  the freeze (503 + Retry-After), goal ≤ 2 s', `${frozen} ms`]);
  lines.push(['  its parts', /\((sessions ended .*)\)/.exec(moved.stderr)?.[1] ?? '?']);
  lines.push(['  the writer: replies by status', JSON.stringify(load.statuses)]);
  lines.push(['  the writer: longest wait between acknowledged writes', `${load.longestGapMs} ms`]);
  lines.push(['  acknowledged writes missing on the target', `${lost} of ${load.acknowledged.length}`]);
} finally {
  console.log(`\nTenantry data safety — Node ${process.versions.node}, two embedded Postgres servers`);
  for (const [name, value] of lines) console.log(`${name.padEnd(58)} ${value}`);
  await service.stop().catch(() => undefined);
  await Promise.all([primary.stop(), second.stop()]);
}
