import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pitrLayout } from '../src/backups/pitr/pitr-layout.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { startSystemPostgres } from '../bench/system-postgres.js';
import { runCli } from './support/cli.js';
import { TenantWorld } from './support/domain.js';
import { adminToken, queryServer, tenantHeaders } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Server {
  url: string;
  stop(): Promise<void>;
}

/**
 * The embedded server archives into the service's DATA_DIR as the service starts it (PITR_ENABLED); a Postgres
 * 15 server with `archive_mode=on` and no archive_command of its own is given the service's.
 */
const SERVERS: [string, (dataDir: string) => Promise<Server>][] = [
  [
    'the embedded server',
    (dataDir) =>
      startEmbeddedPostgres({
        dir: join(dataDir, 'pg'),
        persistent: false,
        maxConnections: 60,
        archiveDir: pitrLayout(dataDir, 'primary').wal,
      }),
  ],
  ['a Postgres 15 server', () => startSystemPostgres({ wal_level: 'replica', archive_mode: 'on' })],
];

/**
 * Issue 25, acceptance 2: one tenant back to a point in time — a row deleted after T is back in the copy
 * restored to T, a row added after T is not; the copy is a new organization of the same owner with its own
 * keys; the scratch instance and its directory are gone afterwards; bad times are refused before anything is
 * made. On the embedded server (Postgres 17) and on a Postgres 15 server.
 */
describe.each(SERVERS)('point-in-time restore of one tenant on %s', (label, startServer) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-pitr-'));
  let server: Server;
  let t: TestApp;
  let w: TenantWorld;
  const cli = (args: string[]) =>
    runCli(args, { DATABASE_URL: t.coreUrl, DATA_DIR: dataDir, PITR_ENABLED: 'true' });
  const productNames = async (slug: string) => {
    const [{ id }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [slug],
    );
    const rows = await queryServer<{ name: string }>(
      withDatabase(server.url, tenantIdentity(id).dbName),
      'SELECT name FROM products ORDER BY name',
    );
    return rows.map((r) => r.name);
  };
  const organizations = async () =>
    (await queryServer<{ n: number }>(t.coreUrl, 'SELECT count(*)::int AS n FROM organizations'))[0].n;

  beforeAll(async () => {
    server = await startServer(dataDir);
    t = await startTestApp({
      DATABASE_URL: withDatabase(server.url, `tenantry_pitr_${label.replace(/\W/g, '').toLowerCase()}`),
      DATA_DIR: dataDir,
      PITR_ENABLED: 'true',
    });
    w = await TenantWorld.create(t, 'pitr-src');
    await w.product({ name: 'Before the base backup' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('refuses a restore before the first base backup, making nothing', async () => {
    const before = await organizations();
    const r = await cli([
      'tenants:restore',
      '--tenant',
      w.slug,
      '--at',
      new Date().toISOString(),
      '--slug',
      'pitr-x',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/no base backup of server primary/)]);
    expect(await organizations()).toBe(before);
  }, 60_000);

  it('restores the tenant as it was at T into a new organization of its owner', async () => {
    const base = await cli(['servers:base-backup']);
    expect([base.code, base.stderr]).toEqual([0, '']);
    expect(base.stdout).toMatch(/^base backup of primary: \d+ bytes/m);

    const kept = await w.product({ name: 'Deleted after T' });
    await new Promise((r) => setTimeout(r, 1500));
    const at = new Date();
    await new Promise((r) => setTimeout(r, 1500));
    await w.product({ name: 'Added after T' });
    const [{ id }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
    // An employee's mistake, straight in the database: no audit row, no soft delete to undo.
    await queryServer(
      withDatabase(server.url, tenantIdentity(id).dbName),
      'DELETE FROM products WHERE id = $1',
      [kept.id],
    );
    expect(await productNames(w.slug)).toEqual(['Added after T', 'Before the base backup']);

    const restored = await cli([
      'tenants:restore',
      '--tenant',
      w.slug,
      '--at',
      at.toISOString(),
      '--slug',
      'pitr-back',
    ]);
    expect([restored.code, restored.stderr]).toEqual([0, '']);
    expect(restored.stdout).toMatch(/^restored pitr-src as of .* into pitr-back \([0-9a-f-]{36}\): active/m);
    const point = /recovery point (\S+)/.exec(restored.stdout)?.[1];
    expect(new Date(point!).getTime()).toBeLessThanOrEqual(at.getTime());
    expect(restored.stdout).toMatch(/took \d+ ms \(recovery \d+ ms, copy \d+ ms\)/);

    expect(await productNames('pitr-back')).toEqual(['Before the base backup', 'Deleted after T']);
    // A new organization of the same owner, with its own keys: the source's token is refused there.
    const token = await adminToken(t, w.owner, 'pitr-back');
    const listed = await t.http.get('/api/v1/products', { token, headers: tenantHeaders('pitr-back') });
    expect(listed.status).toBe(200);
    expect(
      (await t.http.get('/api/v1/users/me', { token: w.tokens.admin, headers: tenantHeaders('pitr-back') }))
        .status,
    ).toBe(401);
    // The source is untouched, and the scratch instance left nothing.
    expect(await productNames(w.slug)).toEqual(['Added after T', 'Before the base backup']);
    const scratch = join(dataDir, 'pitr', 'scratch');
    expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
  }, 300_000);

  it('refuses a time in the future and one before the base backup, making nothing', async () => {
    const before = await organizations();
    const future = await cli([
      'tenants:restore',
      '--tenant',
      w.slug,
      '--at',
      '2999-01-01T00:00:00Z',
      '--slug',
      'pitr-y',
    ]);
    expect([future.code, future.stderr.trim()]).toEqual([1, expect.stringMatching(/in the future/)]);
    const early = await cli([
      'tenants:restore',
      '--tenant',
      w.slug,
      '--at',
      '2000-01-01T00:00:00Z',
      '--slug',
      'pitr-y',
    ]);
    expect([early.code, early.stderr.trim()]).toEqual([1, expect.stringMatching(/earliest point in time/)]);
    const local = await cli([
      'tenants:restore',
      '--tenant',
      w.slug,
      '--at',
      '2026-12-07T10:00:00',
      '--slug',
      'pitr-y',
    ]);
    expect([local.code, local.stderr.trim()]).toEqual([1, expect.stringMatching(/with its offset/)]);
    const taken = await cli([
      'tenants:restore',
      '--tenant',
      w.slug,
      '--at',
      new Date().toISOString(),
      '--slug',
      'pitr-back',
    ]);
    expect([taken.code, taken.stderr.trim()]).toEqual([
      1,
      expect.stringMatching(/--slug pitr-back is taken/),
    ]);
    // A tenant that moved onto this server has nothing in its archive from before: refused, not restored empty.
    await queryServer(t.coreUrl, `UPDATE organizations SET placed_at = now() WHERE slug = $1`, [w.slug]);
    const beforeMove = new Date(Date.now() - 5000).toISOString();
    const moved = await cli(['tenants:restore', '--tenant', w.slug, '--at', beforeMove, '--slug', 'pitr-y']);
    expect([moved.code, moved.stderr.trim()]).toEqual([
      1,
      expect.stringMatching(/moved onto server primary at .*reaches back only to then/),
    ]);
    await queryServer(t.coreUrl, `UPDATE organizations SET placed_at = NULL WHERE slug = $1`, [w.slug]);
    const bad = await cli(['tenants:restore', '--tenant', w.slug, '--at', 'yesterday', '--slug', 'pitr-y']);
    expect([bad.code, bad.stderr.trim()]).toEqual([1, expect.stringMatching(/not an ISO 8601 time/)]);
    expect(await organizations()).toBe(before);
  }, 60_000);
});
