import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runCli } from './support/cli.js';
import { inParallel } from './support/operators.js';
import { startService, type Service } from './support/service.js';
import { adminToken, onboard, type Owner, queryServer, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TENANTS = 20;
const PER_SERVER = 2;
const slugOf = (i: number) => `backed-${String(i).padStart(2, '0')}`;

interface BackupRow {
  id: string;
  slug: string;
  path: string;
  verified_at: Date | null;
  verify_error: string | null;
}

/**
 * Issue 25, scheduled backups: one run of the `backup` job (what BACKUP_CRON triggers) over 20 tenants with
 * three instances working on it backs each tenant up once, and verifies each backup by restoring it into a
 * scratch database; a corrupted backup is caught by verification and stops counting as verified; backups past
 * BACKUP_RETENTION_DAYS are removed; a recorded backup restores into a new organization of the same owner.
 */
describe('scheduled, verified backups', () => {
  let t: TestApp;
  let services: Service[] = [];
  let owner: Owner;
  const cli = (args: string[]) => runCli(args, { DATABASE_URL: t.coreUrl });
  const backups = () =>
    queryServer<BackupRow>(t.coreUrl, 'SELECT id, slug, path, verified_at, verify_error FROM tenant_backups');

  beforeAll(async () => {
    t = await startTestApp({ ORG_LIMIT_PER_OWNER: '50', BACKUP_PER_SERVER: String(PER_SERVER) });
    owner = await verifiedOwner(t, 'backups@example.com');
    await inParallel(
      Array.from({ length: TENANTS }, (_, i) => slugOf(i)),
      2,
      async (slug) => void (await onboard(t, owner, slug)),
    );
    // Data to back up: each tenant's admin user, and some sessions.
    for (let i = 0; i < 3; i++) await adminToken(t, owner, slugOf(i));
    services = await Promise.all(
      [1, 2].map(() => startService({ DATABASE_URL: t.coreUrl, BACKUP_PER_SERVER: String(PER_SERVER) })),
    );
  }, 180_000);
  afterAll(async () => {
    for (const s of services) s.child.kill('SIGTERM');
    await Promise.all(services.map((s) => s.exited));
    await t?.close();
  });

  it('backs every active tenant up once across the instances, each verified', async () => {
    const made = async () =>
      (
        await queryServer<{ name: string }>(
          t.coreUrl,
          `SELECT datname AS name FROM pg_database WHERE datname LIKE 't\\_%'
           UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE 't\\_%' ORDER BY 1`,
        )
      ).map((r) => r.name);
    const before = await made();
    // Backups at work on the server at once, as Postgres sees their advisory locks (class LockClass.backups).
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [{ n }] = await queryServer<{ n: number }>(
          t.coreUrl,
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 7360252 AND granted`,
        );
        peak = Math.max(peak, n);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const run = await cli(['jobs:run', 'backup']);
    sampling = false;
    await sampler;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Three instances of JOB_CONCURRENCY 4 could run 12; the server takes BACKUP_PER_SERVER at a time.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(PER_SERVER);
    const rows = await backups();
    expect(rows.map((r) => r.slug).sort()).toEqual(Array.from({ length: TENANTS }, (_, i) => slugOf(i)));
    for (const r of rows) {
      expect(r.verify_error).toBeNull();
      expect(r.verified_at).toBeInstanceOf(Date);
      expect(existsSync(r.path)).toBe(true);
    }
    // Every verification's scratch database and roles are gone again.
    expect(await made()).toEqual(before);
    const listed = await cli(['tenants:backups', '--tenant', slugOf(0)]);
    expect(listed.stdout).toMatch(
      new RegExp(`${rows.find((r) => r.slug === slugOf(0))!.id}.*\\d{4}-\\d\\d-\\d\\dT`),
    );
  }, 180_000);

  it('catches a corrupted backup by verifying it, and stops counting it as verified', async () => {
    const [victim] = (await backups()).filter((r) => r.slug === slugOf(1));
    const fd = openSync(victim.path, 'r+');
    const middle = Math.floor(statSync(victim.path).size / 2);
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, middle);
    writeSync(fd, Buffer.from([byte[0] ^ 0xff]), 0, 1, middle);
    closeSync(fd);
    const checked = await cli(['tenants:backups', '--tenant', slugOf(1), '--verify']);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/FAILED: /);
    const [after] = (await backups()).filter((r) => r.id === victim.id);
    expect(after.verified_at).toBeNull();
    expect(after.verify_error).toEqual(expect.any(String));
    // A row altered inside an archive whose gzip is intact: the checksum catches it.
    const [altered] = (await backups()).filter((r) => r.slug === slugOf(2));
    const text = gunzipSync(readFileSync(altered.path));
    const at = text.indexOf(Buffer.from(owner.email));
    expect(at).toBeGreaterThan(0);
    text.write('X', at); // same length: the row count and every chunk length still hold
    writeFileSync(altered.path, gzipSync(text));
    const caught = await cli(['tenants:backups', '--tenant', slugOf(2), '--verify']);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toMatch(/FAILED: .*does not come back as it was backed up/);
    // An intact one verifies again.
    expect((await cli(['tenants:backups', '--tenant', slugOf(5), '--verify'])).code).toBe(0);
  }, 120_000);

  it('restores a recorded backup into a new organization of the same owner', async () => {
    const [backup] = (await backups()).filter((r) => r.slug === slugOf(0));
    const restored = await cli([
      'tenants:restore',
      '--tenant',
      slugOf(0),
      '--backup',
      backup.id,
      '--slug',
      'backed-again',
    ]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const token = await adminToken(t, owner, 'backed-again');
    const me = await t.http.get('/api/v1/users/me', { token, headers: { 'x-tenant': 'backed-again' } });
    expect(me.body.email).toBe(owner.email);
    const unknown = await cli([
      'tenants:restore',
      '--tenant',
      slugOf(0),
      '--backup',
      'nope',
      '--slug',
      'x-1',
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no backup nope/);
  }, 120_000);

  it("removes backups older than BACKUP_RETENTION_DAYS, never a tenant's newest verified one", async () => {
    const [old] = (await backups()).filter((r) => r.slug === slugOf(3));
    const [only] = (await backups()).filter((r) => r.slug === slugOf(6));
    // A newer backup of the first tenant, then both tenants' first backups aged past the retention.
    expect((await cli(['jobs:run', 'backup', '--tenant', slugOf(3)])).code).toBe(0);
    await queryServer(
      t.coreUrl,
      `UPDATE tenant_backups SET created_at = now() - interval '8 days' WHERE id = ANY($1::uuid[])`,
      [[old.id, only.id]],
    );
    // The next run's cluster part prunes.
    expect((await cli(['jobs:run', 'backup', '--tenant', slugOf(4)])).code).toBe(0);
    const ids = (await backups()).map((r) => r.id);
    expect(ids).not.toContain(old.id);
    expect(existsSync(old.path)).toBe(false);
    expect((await backups()).filter((r) => r.slug === slugOf(3))).toHaveLength(1);
    // The second tenant's only verified backup stays, however old.
    expect(ids).toContain(only.id);
    expect(existsSync(only.path)).toBe(true);
  }, 120_000);
});
