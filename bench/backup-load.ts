/**
 * `npm run bench:backup`: what a tenant's backup costs the others. One tenant is filled to BENCH_BACKUP_ROWS
 * rows in each of products, items and audit_logs (default 600,000: about 1 GB with their indexes), another
 * is served GET /users/me by wrk from its own process; rounds of BENCH_SECONDS (8): without a backup,
 * while the service's job worker backs the big tenant up (and verifies it: a restore into a scratch
 * database), and without again. Printed: each round's rate with p50/p99, the ratio during / without, and
 * the backup's size and time (goal: the other tenant keeps ≥ 80 % of its rate).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { fillTenant } from './fill.js';
import { operatorAuth } from './operator.js';
import { benchEnv, benchPostgres, call, cleanUp, onboardTenants, settle, startProcess } from './setup.js';
import { meanOf } from './stats.js';
import { ensureWrk, type LoadResult, wrk } from './wrk.js';

const ROWS = Number(process.env.BENCH_BACKUP_ROWS ?? 600_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const fmt = (r: LoadResult) =>
  `${r.rps.toFixed(0)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`;

ensureWrk();
const db = await benchPostgres();
const env = { ...benchEnv(db), DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-backup-')), LOG_LEVEL: 'warn' };
const service = await startProcess('src/main.js', env);
try {
  const { targets } = await onboardTenants(service.base, db.coreUrl, 2);
  const [served, big] = targets;
  const core = new pg.Client({ connectionString: db.coreUrl });
  await core.connect();
  const { rows } = await core.query<{ id: string }>('SELECT id FROM organizations WHERE slug = $1', [
    big.slug,
  ]);
  await core.end();
  const dbName = tenantIdentity(rows[0].id).dbName;
  const headers = { authorization: `Bearer ${big.token}`, 'x-tenant': big.slug };
  await call(service.base, 'POST', '/api/v1/products', { sku: 'SKU-1', name: 'Widget' }, headers);
  await call(
    service.base,
    'POST',
    '/api/v1/items',
    { title: 'An item', body: 'a body', tags: ['a'] },
    headers,
  );
  const { bytes: size, ms: filled } = await fillTenant(withDatabase(db.serverUrl, dbName), ROWS);
  await settle(db.serverUrl);

  const auth = await operatorAuth(env, service.base);
  const round = () => wrk(service.base, 'GET', '/api/v1/users/me', [served], 'single', 32, SECONDS);
  await wrk(service.base, 'GET', '/api/v1/users/me', [served], 'single', 32, 2);
  const before = await round();
  const { jobId } = await call(
    service.base,
    'POST',
    `/api/v1/operator/tenants/${big.slug}/backup`,
    undefined,
    auth,
  );
  const job = async () =>
    (
      (await call(service.base, 'GET', '/api/v1/operator/jobs', undefined, auth)) as unknown as {
        recent: {
          id: string;
          state: string;
          createdAt: string;
          completedAt: string | null;
          error: string | null;
        }[];
      }
    ).recent.find((j) => j.id === jobId);
  // Rounds back to back for as long as the job runs: the backup, then its verification (a restore).
  const rounds: LoadResult[] = [];
  let done = await job();
  while (!done || (done.state !== 'completed' && done.state !== 'failed')) {
    rounds.push(await round());
    done = await job();
  }
  const avg = (f: (r: LoadResult) => number) => rounds.reduce((n, r) => n + f(r), 0) / rounds.length;
  const during = { ...rounds[0], rps: avg((r) => r.rps), p50: avg((r) => r.p50), p99: avg((r) => r.p99) };
  const worst = rounds.reduce((a, b) => (b.rps < a.rps ? b : a));
  const after = await round();
  const backupMs = Date.parse(done.completedAt!) - Date.parse(done.createdAt);
  const without = meanOf(before, after);
  const lines: [string, string, string?][] = [
    [
      `big tenant: ${ROWS} rows × 3 tables`,
      `${(size / 1e6).toFixed(0)} MB`,
      `filled in ${(filled / 1000).toFixed(0)} s`,
    ],
    ['GET /users/me of another tenant, no backup', fmt(before)],
    [
      `GET /users/me of another tenant, during the backup (${rounds.length} rounds)`,
      fmt(during),
      'mean of the rounds',
    ],
    ['  its worst round', fmt(worst)],
    ['GET /users/me of another tenant, no backup again', fmt(after)],
    ['  ratio during / without', (during.rps / without.rps).toFixed(2), 'goal ≥ 0.8'],
    [
      'backup + verification (job created → completed)',
      `${(backupMs / 1000).toFixed(1)} s`,
      `${done.state}${done.error ? `: ${done.error}` : ''}; BACKUP_MAX_MB_PER_SECOND default (10)`,
    ],
  ];
  console.log(
    `\nTenantry backup under load — Node ${process.versions.node}, Postgres ${db.embedded ? 'embedded' : 'from DATABASE_URL'}`,
  );
  for (const [name, value, note] of lines)
    console.log(`${name.padEnd(52)} ${value.padEnd(44)} ${note ?? ''}`);
} finally {
  await service.stop().catch(() => undefined);
  await cleanUp(db);
}
