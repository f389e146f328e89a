import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { runCli } from './support/cli.js';
import { TenantWorld } from './support/domain.js';
import { testServerUrl } from './support/servers.js';
import { startSystemPostgres } from '../bench/system-postgres.js';
import {
  adminToken,
  PASSWORD,
  queryServer,
  tenantHeaders,
  verifiedOwner,
  type Owner,
} from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { upload } from './support/uploads.js';

const TABLES = [
  'products',
  'warehouses',
  'suppliers',
  'stock_levels',
  'stock_movements',
  'purchase_requests',
  'files',
];

interface Server {
  url: string;
  stop(): Promise<void>;
}

const SERVERS: [string, () => Promise<Server>][] = [
  // The default path: no Postgres client programs are involved at all (issue 21).
  ['the embedded server', async () => ({ url: testServerUrl(), stop: async () => undefined })],
  // A server of another major than the embedded one: the copy is plain SQL, whatever the major.
  ['a Postgres 15 server', startSystemPostgres],
];

/**
 * Issue 12, acceptance 3, and issue 21, item 2: backup → restore into a new organization, and clone, with no
 * Postgres client programs, on the embedded server and on a Postgres 15 server; the copies hold the same
 * rows and contents as the source, and each copy's tokens are its own.
 */
describe.each(SERVERS)('tenant backup, restore and clone on %s', (label, startServer) => {
  let server: Server;
  let t: TestApp;
  let w: TenantWorld;
  let restorer: Owner;
  let fileId: string;
  let fileSha: string;
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-backups-'));
  // The CLI runs with an empty PATH: no pg_dump, pg_restore or psql could be found if it looked for one.
  const noTools = mkdtempSync(join(tmpdir(), 'tenantry-no-tools-'));
  const cli = (args: string[]) =>
    runCli(args, { DATABASE_URL: t.coreUrl, DATA_DIR: t.config.dataDir, PATH: noTools });
  const tenantDb = async (slug: string) => {
    const [{ id }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [slug],
    );
    return withDatabase(server.url, tenantIdentity(id).dbName);
  };
  /** Row counts and a checksum of the contents of each business table, and a checksum of the audit log. */
  const fingerprint = async (slug: string) => {
    const db = await tenantDb(slug);
    const counts = Object.fromEntries(
      await Promise.all(
        TABLES.map(async (table) => {
          const [row] = await queryServer<{ n: number; sum: string }>(
            db,
            `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS sum FROM ${table} t`,
          );
          return [table, row];
        }),
      ),
    );
    const [{ audit }] = await queryServer<{ audit: string }>(
      db,
      "SELECT md5(string_agg(a::text, ',' ORDER BY a.id)) AS audit FROM audit_logs a",
    );
    return { counts, audit };
  };
  const me = (token: string, slug: string) =>
    t.http.get('/api/v1/users/me', { token, headers: tenantHeaders(slug) });
  const fileBytes = async (token: string, slug: string) => {
    const res = await fetch(`${t.baseUrl}/api/v1/files/${fileId}/content`, {
      headers: { authorization: `Bearer ${token}`, ...tenantHeaders(slug) },
    });
    return [
      res.status,
      createHash('sha256')
        .update(Buffer.from(await res.arrayBuffer()))
        .digest('hex'),
    ];
  };

  beforeAll(async () => {
    server = await startServer();
    t = await startTestApp({
      DATABASE_URL: withDatabase(server.url, `tenantry_copies_${label.replace(/\W/g, '').toLowerCase()}`),
      PROVISIONING_SWEEP_MS: '500',
    });
    w = await TenantWorld.create(t, 'copy-src');
    const product = await w.product({ name: 'Copied widget' });
    const warehouse = await w.warehouse();
    await w.supplier();
    const moved = await w.as('admin').post('/api/v1/stock-movements', {
      type: 'in',
      productId: product.id,
      warehouseId: warehouse.id,
      quantity: 7,
    });
    expect(moved.status).toBe(201);
    const file = await upload(
      t.baseUrl,
      { authorization: `Bearer ${w.tokens.admin}`, ...tenantHeaders(w.slug) },
      {
        name: 'notes.bin',
        size: 200_000,
      },
    );
    expect(file.status).toBe(201);
    [fileId, fileSha] = [file.body.id, file.sent];
    restorer = await verifiedOwner(t, 'restorer@example.com');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('backs up to an archive, with no client programs on the PATH, and restores it into a new organization', async () => {
    const archive = join(dir, `copy-src-${label.replace(/\W/g, '').toLowerCase()}.backup`);
    const backup = await cli(['tenants:backup', '--tenant', w.slug, '--out', archive]);
    expect([backup.code, backup.stderr]).toEqual([0, '']);

    const restore = await cli([
      'tenants:restore',
      '--file',
      archive,
      '--slug',
      'copy-restored',
      '--owner',
      restorer.email,
    ]);
    expect([restore.code, restore.stderr]).toEqual([0, '']);
    expect(restore.stdout).toMatch(/^restored copy-restored \([0-9a-f-]{36}\): active/m);
    expect(await fingerprint('copy-restored')).toEqual(await fingerprint(w.slug));

    // The copy's keys and sessions are its own: the source's tokens do not work there.
    expect((await me(w.tokens.admin, 'copy-restored')).status).toBe(401);
    const token = await adminToken(t, restorer, 'copy-restored');
    expect((await me(token, 'copy-restored')).body).toMatchObject({ email: restorer.email, role: 'admin' });
    expect(await fileBytes(token, 'copy-restored')).toEqual([200, fileSha]);
    // The source's owner is no owner of the restored organization.
    const exchange = await t.http.post('/api/v1/auth/exchange', undefined, {
      token: w.owner.token,
      headers: tenantHeaders('copy-restored'),
    });
    expect(exchange.status).toBe(403);
  }, 120_000);

  it('clones a live tenant: same data, its own tokens (the source’s are 401 there), sessions not carried over', async () => {
    const login = await t.http.post(
      '/api/v1/auth/login',
      { email: `staff@${w.slug}.example.com`, password: PASSWORD },
      { headers: tenantHeaders(w.slug) },
    );
    const clone = await cli([
      'tenants:clone',
      '--from',
      w.slug,
      '--slug',
      'copy-clone',
      '--owner',
      w.owner.email,
    ]);
    expect([clone.code, clone.stderr]).toEqual([0, '']);
    expect(await fingerprint('copy-clone')).toEqual(await fingerprint(w.slug));

    const stale = await me(w.tokens.admin, 'copy-clone');
    expect([stale.status, stale.body.code]).toEqual([401, 'INVALID_TOKEN']);
    expect(login.status).toBe(200);
    const refresh = await t.http.post(
      '/api/v1/auth/refresh',
      { refreshToken: login.body.refreshToken },
      { headers: tenantHeaders('copy-clone') },
    );
    expect(refresh.status).toBe(401);
    const token = await adminToken(t, w.owner, 'copy-clone');
    expect((await me(token, 'copy-clone')).status).toBe(200);
    expect(await fileBytes(token, 'copy-clone')).toEqual([200, fileSha]);
    // The source goes on serving, untouched.
    expect((await me(w.tokens.admin, w.slug)).status).toBe(200);
  }, 120_000);

  it('leaves nothing behind when a restore fails, and refuses a taken slug', async () => {
    const bogus = join(dir, 'bogus.dump');
    writeFileSync(bogus, 'not an archive');
    const databases = () =>
      queryServer<{ n: number }>(
        server.url,
        `SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 't\\_%'`,
      );
    const before = await databases();
    const failed = await cli([
      'tenants:restore',
      '--file',
      bogus,
      '--slug',
      'copy-bad',
      '--owner',
      restorer.email,
    ]);
    expect(failed.code).toBe(1);
    // One clear line, never a Nest object dump; nothing was made.
    expect(failed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/not a tenant backup/)]);
    expect(await databases()).toEqual(before);
    expect(await queryServer(t.coreUrl, `SELECT 1 FROM organizations WHERE slug = 'copy-bad'`)).toHaveLength(
      0,
    );

    const taken = await cli([
      'tenants:clone',
      '--from',
      w.slug,
      '--slug',
      'copy-clone',
      '--owner',
      w.owner.email,
    ]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/slug/i);
  }, 60_000);

  it('sweeps away a copy whose copier died (no live lock), database and roles included', async () => {
    const id = randomUUID();
    const { dbName, role, ownerRole } = tenantIdentity(id);
    // What a restore killed after loading leaves: its row, its roles, its database.
    await queryServer(server.url, `CREATE ROLE ${ownerRole} NOLOGIN`);
    await queryServer(server.url, `CREATE ROLE ${role} LOGIN`);
    await queryServer(server.url, `CREATE DATABASE ${dbName} OWNER ${ownerRole}`);
    await queryServer(
      t.coreUrl,
      `INSERT INTO organizations (id, name, slug, owner_id, status, db_name, updated_at)
       VALUES ($1, 'half', 'copy-half', $2, 'restoring', $3, now())`,
      [id, restorer.id, dbName],
    );
    const left = async () =>
      Number(
        (
          await queryServer<{ n: string }>(
            server.url,
            `SELECT (SELECT count(*) FROM pg_database WHERE datname = $1) +
                    (SELECT count(*) FROM pg_roles WHERE rolname = ANY($2)) AS n`,
            [dbName, [role, ownerRole]],
          )
        )[0].n,
      );
    expect(await left()).toBe(3);
    const notReady = await me(w.tokens.admin, 'copy-half');
    expect([notReady.status, notReady.body.code]).toEqual([503, 'TENANT_NOT_READY']);
    // Fresh rows are left alone (their copier may be between its insert and its lock): made old, it is swept.
    await queryServer(
      t.coreUrl,
      `UPDATE organizations SET updated_at = now() - interval '1 minute' WHERE id = $1`,
      [id],
    );
    for (let i = 0; i < 100 && (await left()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await left()).toBe(0);
    expect(await queryServer(t.coreUrl, 'SELECT 1 FROM organizations WHERE id = $1', [id])).toHaveLength(0);
  }, 60_000);
});
