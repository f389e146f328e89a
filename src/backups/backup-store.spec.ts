import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupStore } from './backup-store.js';

const TENANT = '3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
const OTHER_TENANT = '9f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
const NAME = '2026-12-07T06-00-00-000Z.tenantry-backup';

describe('BackupStore: a recorded location must name a backup of its own tenant', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'tenantry-store-')), 'backups');
  const local = new BackupStore(undefined, root);
  const s3 = new BackupStore('http://k:s@127.0.0.1:9/bucket', root);
  const read = (store: BackupStore, location: string) =>
    store.withLocal(location, TENANT, async () => 'read');

  it("removes a local backup and its files; nothing else, and not another tenant's", async () => {
    const archive = join(root, TENANT, NAME);
    mkdirSync(`${archive}.files`, { recursive: true });
    writeFileSync(archive, 'x');
    writeFileSync(join(`${archive}.files`, 'f'), 'x');
    await expect(local.remove(archive, OTHER_TENANT)).rejects.toThrow(/not a backup of this tenant/);
    await local.remove(archive, TENANT);
    expect([existsSync(archive), existsSync(`${archive}.files`)]).toEqual([false, false]);
    const other = join(root, 'notes.txt');
    writeFileSync(other, 'x');
    const bad = [other, '/etc/passwd', `${root}/${TENANT}/../${NAME}`, `backups/${TENANT}/${NAME}`];
    for (const path of bad) {
      await expect(local.remove(path, TENANT)).rejects.toThrow(/not a backup of this tenant/);
      await expect(read(local, path)).rejects.toThrow(/not a backup of this tenant/);
    }
    expect(existsSync(other)).toBe(true);
  });

  it('refuses an S3 location it cannot or must not read, before asking the store', async () => {
    const key = `backups/${TENANT}/${NAME}`;
    await expect(read(local, `s3://bucket/${key}`)).rejects.toThrow(/S3_URL is not set/);
    await expect(read(s3, `s3://other/${key}`)).rejects.toThrow(/in bucket other, and S3_URL names bucket/);
    const bad = [`${TENANT}/file`, `backups/${TENANT}/../../${NAME}`, `backups/${OTHER_TENANT}/${NAME}`];
    for (const key of bad) {
      await expect(s3.remove(`s3://bucket/${key}`, TENANT)).rejects.toThrow(/not a backup of this tenant/);
      await expect(read(s3, `s3://bucket/${key}`)).rejects.toThrow(/not a backup of this tenant/);
    }
  });
});
