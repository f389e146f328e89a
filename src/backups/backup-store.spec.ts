import { mkdirSync, mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupStore } from './backup-store.js';

const TENANT = '3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';

describe('BackupStore: what a recorded location may name', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'tenantry-store-')), 'backups');
  const local = new BackupStore(undefined, root);
  const s3 = new BackupStore('http://k:s@127.0.0.1:9/bucket', root);

  it('removes a local backup and its files, and nothing that is not a backup', async () => {
    const archive = join(root, TENANT, '2026-12-07T06-00-00-000Z.tenantry-backup');
    mkdirSync(`${archive}.files`, { recursive: true });
    writeFileSync(archive, 'x');
    writeFileSync(join(`${archive}.files`, 'f'), 'x');
    await local.remove(archive);
    expect([existsSync(archive), existsSync(`${archive}.files`)]).toEqual([false, false]);
    const other = join(root, 'notes.txt');
    writeFileSync(other, 'x');
    for (const path of [
      other,
      '/etc/passwd',
      `${root}/${TENANT}/../x.tenantry-backup`,
      'backups/x.tenantry-backup',
    ])
      await expect(local.remove(path)).rejects.toThrow(/does not name a backup/);
    expect(existsSync(other)).toBe(true);
  });

  it('refuses an S3 location it cannot or must not read, before asking the store', async () => {
    const key = `backups/${TENANT}/2026-12-07T06-00-00-000Z.tenantry-backup`;
    const read = (store: BackupStore, location: string) => store.withLocal(location, async () => 'read');
    await expect(read(local, `s3://bucket/${key}`)).rejects.toThrow(/S3_URL is not set/);
    await expect(read(s3, `s3://other/${key}`)).rejects.toThrow(/in bucket other, and S3_URL names bucket/);
    for (const bad of [
      `${TENANT}/file`,
      `backups/${TENANT}/../../x.tenantry-backup`,
      'backups/x/y.tenantry-backup',
    ])
      await expect(s3.remove(`s3://bucket/${bad}`)).rejects.toThrow(/does not name a backup/);
  });
});
