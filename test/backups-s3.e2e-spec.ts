import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { startS3, type LocalS3 } from './support/s3.js';
import {
  adminToken,
  onboard,
  type Owner,
  queryServer,
  tenantHeaders,
  verifiedOwner,
} from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { sha256, upload } from './support/uploads.js';

const BUCKET = 'tenantry-store';

interface BackupRow {
  id: string;
  path: string;
  verified_at: Date | null;
  verify_error: string | null;
}

/**
 * Backups kept in the S3 store (`S3_URL`), as the tenant's files are: the backup job writes the archive, sends
 * it and the tenant's files' bytes to `backups/<tenant id>/`, keeps nothing on local disk, and verifies the
 * copy in the store; a recorded backup restores from there, a corrupted object is caught by verification, the
 * retention removes the objects, and without `S3_URL` such a backup is refused with the reason.
 */
describe('backups kept in S3', () => {
  let s3: LocalS3;
  let t: TestApp;
  let owner: Owner;
  let tenantId: string;
  let fileId: string;
  let fileSha: string;
  const cli = (args: string[], s3Url: string | null = s3.url) =>
    runCli(args, {
      DATABASE_URL: t.coreUrl,
      DATA_DIR: t.config.dataDir,
      ...(s3Url ? { S3_URL: s3Url } : {}),
    });
  const backups = () =>
    queryServer<BackupRow>(
      t.coreUrl,
      'SELECT id, path, verified_at, verify_error FROM tenant_backups WHERE tenant_id = $1 ORDER BY created_at',
      [tenantId],
    );
  /** What backups left on local disk besides the tenant's (empty) folder: files, and any fetch folder. */
  const localFiles = () =>
    readdirSync(join(t.config.dataDir, 'backups'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() || e.name.startsWith('fetch-') || e.name.endsWith('.files'))
      .map((e) => e.name);

  beforeAll(async () => {
    s3 = await startS3(BUCKET);
    t = await startTestApp({ S3_URL: s3.url });
    owner = await verifiedOwner(t, 's3-backups@example.com');
    ({ id: tenantId } = await onboard(t, owner, 's3-backed'));
    const token = await adminToken(t, owner, 's3-backed');
    const data = Buffer.from('bytes that travel with the backup\n'.repeat(1000));
    const sent = await upload(
      t.baseUrl,
      { authorization: `Bearer ${token}`, ...tenantHeaders('s3-backed') },
      { name: 'notes.txt', data, contentType: 'text/plain' },
    );
    expect(sent.status).toBe(201);
    [fileId, fileSha] = [sent.body.id, sha256(data)];
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('sends the archive and the files to the store, keeps nothing locally, and verifies the stored copy', async () => {
    const run = await cli(['jobs:run', 'backup', '--tenant', 's3-backed']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const [backup] = await backups();
    expect(backup.path).toMatch(new RegExp(`^s3://${BUCKET}/backups/${tenantId}/[^/]+\\.tenantry-backup$`));
    expect([backup.verified_at, backup.verify_error]).toEqual([expect.any(Date), null]);
    const key = backup.path.slice(`s3://${BUCKET}/`.length);
    expect(await s3.keys(`backups/${tenantId}/`)).toEqual([key, `${key}.files/${fileId}`]);
    expect(sha256(await s3.get(`${key}.files/${fileId}`))).toBe(fileSha);
    expect(localFiles()).toEqual([]);
  }, 120_000);

  it('restores a backup kept in the store, files included; refuses it without S3_URL, making nothing', async () => {
    const [backup] = await backups();
    const args = ['tenants:restore', '--tenant', 's3-backed', '--backup', backup.id, '--slug', 's3-restored'];
    const refused = await cli(args, null);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/kept in S3, and S3_URL is not set/);
    expect(await queryServer(t.coreUrl, `SELECT 1 FROM organizations WHERE slug = 's3-restored'`)).toEqual(
      [],
    );

    // An archive written by a process without the store cannot carry the file's bytes: it fails, leaving none.
    const out = join(t.config.dataDir, 'elsewhere.tenantry-backup');
    const partial = await cli(['tenants:backup', '--tenant', 's3-backed', '--out', out], null);
    expect(partial.code).toBe(1);
    expect([existsSync(out), existsSync(`${out}.files`)]).toEqual([false, false]);
    // Checking it from a process without the store fails without marking it unverified.
    const unreachable = await cli(['tenants:backups', '--tenant', 's3-backed', '--verify'], null);
    expect([unreachable.code, unreachable.stderr]).toEqual([1, expect.stringMatching(/S3_URL is not set/)]);
    expect((await backups())[0]).toMatchObject({ verified_at: expect.any(Date), verify_error: null });

    const restored = await cli(args);
    expect([restored.code, restored.stderr]).toEqual([0, '']);
    const token = await adminToken(t, owner, 's3-restored');
    const res = await fetch(`${t.baseUrl}/api/v1/files/${fileId}/content`, {
      headers: { authorization: `Bearer ${token}`, ...tenantHeaders('s3-restored') },
    });
    expect([res.status, sha256(Buffer.from(await res.arrayBuffer()))]).toEqual([200, fileSha]);
    expect(localFiles()).toEqual([]);
  }, 120_000);

  it('catches a corrupted object by verifying it, and the retention removes old backups from the store', async () => {
    const [first] = await backups();
    const key = first.path.slice(`s3://${BUCKET}/`.length);
    const archive = await s3.get(key);
    archive[Math.floor(archive.length / 2)] ^= 0xff;
    await s3.put(key, archive);
    const checked = await cli(['tenants:backups', '--tenant', 's3-backed', '--verify']);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/FAILED: /); // what the verifier found, not the store
    expect(checked.stdout).not.toMatch(/S3_URL|has no object/);
    expect((await backups())[0].verify_error).toEqual(expect.any(String));

    // A newer backup, the first aged past the retention: the next run's cluster part removes it, objects too.
    expect((await cli(['jobs:run', 'backup', '--tenant', 's3-backed'])).code).toBe(0);
    await queryServer(
      t.coreUrl,
      `UPDATE tenant_backups SET created_at = now() - interval '8 days' WHERE id = $1`,
      [first.id],
    );
    expect((await cli(['jobs:run', 'backup', '--tenant', 's3-backed'])).code).toBe(0);
    const left = await backups();
    expect(left.map((b) => b.id)).not.toContain(first.id);
    expect(left.every((b) => b.verified_at !== null)).toBe(true);
    expect((await s3.keys(`backups/${tenantId}/`)).filter((k) => k.startsWith(key))).toEqual([]);
    expect(localFiles()).toEqual([]);
  }, 180_000);
});
