import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TenantCatalog, TenantMigrator } from '../src/tenancy/index.js';
import { runCli } from './support/cli.js';
import { expectProblem, type HttpResponse } from './support/http.js';
import {
  adminToken,
  onboard,
  queryServer,
  tenantDatabaseAdminUrl,
  verifiedOwner,
} from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NEEDED = 'AccessNeeded1899100000000';
const COMPATIBLE = 'AccessCompatible1899100000001';
/** One migration the code needs (slow where a marker table says so), one it serves without. */
const MIGRATIONS = `export class ${NEEDED} { name = '${NEEDED}';
  async up(q) { await q.query('CREATE TABLE access_note (id int)');
    await q.query("SELECT pg_sleep(CASE WHEN to_regclass('slow_marker') IS NULL THEN 0.2 ELSE 2.5 END)"); }
  async down(q) { await q.query('DROP TABLE access_note'); } }
export class ${COMPATIBLE} { static backwardCompatible = true; name = '${COMPATIBLE}';
  async up(q) { await q.query('CREATE TABLE access_extra (id int)'); }
  async down(q) { await q.query('DROP TABLE access_extra'); } }\n`;

/**
 * Issue 24, serving during a rollout: a tenant behind the oldest schema the code serves is migrated on its
 * first request (single flight: concurrent first requests all succeed, the migration runs once); past the
 * acquire timeout its requests answer 503 TENANT_NOT_READY + Retry-After until it is done; with
 * TENANT_MIGRATE_ON_ACCESS=false it answers 503 until a run reaches it; a tenant between the two versions
 * is served as it is.
 */
describe('migrate on access', () => {
  let on: TestApp;
  let off: TestApp;
  let env: Record<string, string>;
  const tokens = new Map<string, string>();
  const urls = new Map<string, string>();
  const me = (app: TestApp, slug: string) =>
    app.http.get('/api/v1/users/me', { token: tokens.get(slug)!, headers: { 'x-tenant': slug } });
  const applied = async (slug: string) =>
    (
      await queryServer<{ name: string }>(
        urls.get(slug)!,
        `SELECT name FROM migrations WHERE name LIKE 'Access%' ORDER BY "timestamp"`,
      )
    ).map((r) => r.name);
  const versionOf = async (slug: string) =>
    (
      await queryServer<{ v: string }>(
        on.coreUrl,
        'SELECT schema_version AS v FROM organizations WHERE slug = $1',
        [slug],
      )
    )[0].v;

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tenantry-access-')), 'access-migrations.mjs');
    writeFileSync(file, MIGRATIONS);
    env = { TENANTRY_EXTRA_TENANT_MIGRATIONS: file, TENANT_ACQUIRE_TIMEOUT_MS: '1500' };
    on = await startTestApp(env);
    off = await startTestApp(
      { ...env, DATABASE_URL: on.coreUrl, TENANT_MIGRATE_ON_ACCESS: 'false' },
      { runWorkers: false },
    );
    const owner = await verifiedOwner(on, 'access@example.com');
    const migrator = on.app.get(TenantMigrator);
    // Onboarded at the newest version, then taken back: `back` migrations undone.
    for (const [slug, back] of [
      ['fast', 2],
      ['slow', 2],
      ['held', 2],
      ['between', 1],
    ] as const) {
      const { id } = await onboard(on, owner, slug);
      tokens.set(slug, await adminToken(on, owner, slug));
      urls.set(slug, await tenantDatabaseAdminUrl(on.coreUrl, slug));
      for (let i = 0; i < back; i++) await migrator.revertLast({ id, server: 'primary' });
    }
    await queryServer(urls.get('slow')!, 'CREATE TABLE slow_marker (x int)');
    // Both instances' catalogs have heard of the reverts (the catalog's notifications).
    await sleep(300);
  }, 120_000);
  afterAll(async () => {
    await off?.app.close();
    await on?.close();
  });

  it('migrates a tenant behind on its first requests, once, all of them answered', async () => {
    expect(await applied('fast')).toEqual([]);
    const replies = await Promise.all(Array.from({ length: 16 }, () => me(on, 'fast')));
    expect(replies.map((r) => r.status)).toEqual(Array(16).fill(200));
    expect(await applied('fast')).toEqual([NEEDED, COMPATIBLE]);
    expect(await versionOf('fast')).toBe(COMPATIBLE);
  });

  it('answers 503 TENANT_NOT_READY with Retry-After past the acquire timeout, then serves', async () => {
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: 8 }, () => me(on, 'slow')));
    for (const r of replies) {
      expectProblem(r, 503, 'TENANT_NOT_READY');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Generous bound: each waited about TENANT_ACQUIRE_TIMEOUT_MS (1.5 s), not the whole migration.
    expect(Date.now() - started).toBeLessThan(2_400);
    let last: HttpResponse | undefined;
    for (let i = 0; i < 60 && last?.status !== 200; i++) {
      await sleep(100);
      last = await me(on, 'slow');
    }
    expect(last?.status).toBe(200);
    expect(await applied('slow')).toEqual([NEEDED, COMPATIBLE]);
  });

  it('with TENANT_MIGRATE_ON_ACCESS=false answers 503 until a run reaches the tenant', async () => {
    const held = await me(off, 'held');
    expectProblem(held, 503, 'TENANT_NOT_READY');
    expect(held.headers.get('retry-after')).toBeTruthy();
    expect(await applied('held')).toEqual([]);
    const run = await runCli(['migrate:tenants', '--tenant', 'held'], { ...env, DATABASE_URL: on.coreUrl });
    expect(run.code).toBe(0);
    let last = held;
    for (let i = 0; i < 50 && last.status !== 200; i++) {
      await sleep(100);
      last = await me(off, 'held');
    }
    expect(last.status).toBe(200);
  });

  it('serves a tenant between the oldest served version and the newest as it is, on both settings', async () => {
    expect(await applied('between')).toEqual([NEEDED]);
    expect((await me(off, 'between')).status).toBe(200);
    expect((await me(on, 'between')).status).toBe(200);
    expect(await applied('between')).toEqual([NEEDED]);
    expect(await versionOf('between')).toBe(NEEDED);
    expect(on.app.get(TenantCatalog).peek('between')?.schemaVersion).toBe(NEEDED);
  });
});
