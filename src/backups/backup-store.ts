import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readdirSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { s3ClientOf } from '../tenant/files/s3.storage.js';

/** A backup's files (what the tenant's file records point to) sit beside its archive, in `<archive>.files/`. */
const filesDir = (archive: string) => `${archive}.files`;

/** Removes an archive on local disk and its files. */
export const removeLocal = (archive: string): void => {
  rmSync(archive, { force: true });
  rmSync(filesDir(archive), { recursive: true, force: true });
};

/** The store answered that a backup's archive is not there: a lost backup, not an unreachable store. */
export class BackupMissingError extends Error {}

const removeIfEmpty = (dir: string) => {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (older local backups), or gone
  }
};

const S3_PREFIX = 's3://';
/** A backup's file name: `<time>.tenantry-backup`. */
const BACKUP_NAME = /^[\w.-]+\.tenantry-backup$/;
/**
 * Whether a recorded location names a backup of `tenantId`: the key `backups/<tenant id>/<name>`, or an
 * absolute `<some DATA_DIR>/backups/<tenant id>/<name>` (instances record their own DATA_DIR's paths). A row
 * altered to point at another tenant's backup or any other file is refused before it is read or removed.
 */
function namesBackupOf(path: string, tenantId: string, local: boolean): boolean {
  const parts = path.split('/');
  const [name, tenant, folder] = [parts.at(-1)!, parts.at(-2), parts.at(-3)];
  const shape = BACKUP_NAME.test(name) && tenant === tenantId && folder === 'backups';
  return shape && (local ? isAbsolute(path) && resolve(path) === path : parts.length === 3);
}
/** A fetch folder older than this was left by a process that died reading it. */
const STALE_FETCH_MS = 6 * 3_600_000;

/**
 * Where backups are kept (docs/reference/scale-out.md, "Where backups are kept"). Every backup is written on
 * local disk first (under `DATA_DIR/backups`); with `S3_URL` set it then goes to the S3 store, under
 * `backups/<tenant id>/`, and its local copy is removed. A backup's location (`tenant_backups.path`) is an
 * absolute path or `s3://<bucket>/<key>`; both kinds are read whatever the store is now.
 */
export class BackupStore {
  private readonly logger = new Logger(BackupStore.name);
  private readonly s3?: { client: S3Client; bucket: string };
  /** Where a backup kept in S3 is fetched to while it is read (removed after). */
  private readonly scratchDir: string;

  constructor(
    s3Url: string | undefined,
    /** `DATA_DIR/backups`: this instance writes its local backups under it. */
    localRoot: string,
  ) {
    if (s3Url) this.s3 = s3ClientOf(s3Url);
    this.scratchDir = join(localRoot, '.fetch');
  }

  /** Keeps the archive written at `archive` (and its files); resolves its location. Nothing is left on failure. */
  async keep(archive: string, tenantId: string): Promise<string> {
    if (!this.s3) return archive;
    const key = `backups/${tenantId}/${basename(archive)}`;
    const files = existsSync(filesDir(archive)) ? readdirSync(filesDir(archive)) : [];
    const location = `${S3_PREFIX}${this.s3.bucket}/${key}`;
    try {
      for (const name of files) await this.put(join(filesDir(archive), name), `${filesDir(key)}/${name}`);
      await this.put(archive, key); // the archive last: a location whose archive exists is whole
    } catch (err) {
      await this.remove(location, tenantId).catch((cleanup: Error) =>
        this.logger.error({ location, err: cleanup.message }, 'a failed backup upload left objects behind'),
      );
      throw err;
    } finally {
      removeLocal(archive);
      removeIfEmpty(dirname(archive)); // the tenant's folder (one backup of a tenant at a time)
    }
    return location;
  }

  /** Runs `fn` with the backup at `location` on local disk (fetched from S3 into scratch, removed after). */
  async withLocal<T>(location: string, tenantId: string, fn: (archive: string) => Promise<T>): Promise<T> {
    if (!location.startsWith(S3_PREFIX)) {
      if (!namesBackupOf(location, tenantId, true))
        throw new Error(`${location} is not a backup of this tenant`);
      return fn(location);
    }
    const { client, bucket, key } = this.remote(location, tenantId);
    await mkdir(this.scratchDir, { recursive: true });
    const dir = await mkdtemp(join(this.scratchDir, 'fetch-'));
    try {
      const archive = join(dir, basename(key));
      await this.get(client, bucket, key, archive);
      const files = await this.list(client, bucket, `${filesDir(key)}/`);
      if (files.length > 0) await mkdir(filesDir(archive));
      for (const file of files) await this.get(client, bucket, file, join(filesDir(archive), basename(file)));
      return await fn(archive);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Removes a backup (its objects, or its file and files); an error when it cannot. */
  async remove(location: string, tenantId: string): Promise<void> {
    if (!location.startsWith(S3_PREFIX)) {
      if (!namesBackupOf(location, tenantId, true))
        throw new Error(`${location} is not a backup of this tenant; not removed`);
      return removeLocal(location);
    }
    const { client, bucket, key } = this.remote(location, tenantId);
    const keys = [key, ...(await this.list(client, bucket, `${filesDir(key)}/`))];
    for (let i = 0; i < keys.length; i += 1000) {
      const Objects = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects } }));
      if (out.Errors?.length)
        throw new Error(`S3 kept ${out.Errors.length} object(s) of ${location}: ${out.Errors[0].Message}`);
    }
  }

  /** Removes fetch folders a process that died while reading a backup left (older than 6 h); how many. */
  async sweepScratch(now = Date.now()): Promise<number> {
    const names = await readdir(this.scratchDir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const path = join(this.scratchDir, name);
      const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: now }));
      if (now - mtimeMs < STALE_FETCH_MS) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  private remote(location: string, tenantId: string): { client: S3Client; bucket: string; key: string } {
    if (!this.s3) throw new Error(`backup ${location} is kept in S3, and S3_URL is not set`);
    const [bucket, ...rest] = location.slice(S3_PREFIX.length).split('/');
    if (bucket !== this.s3.bucket)
      throw new Error(`backup ${location} is in bucket ${bucket}, and S3_URL names ${this.s3.bucket}`);
    const key = rest.join('/');
    if (!namesBackupOf(key, tenantId, false)) throw new Error(`${location} is not a backup of this tenant`);
    return { ...this.s3, key };
  }

  /** One object from a file, as one PutObject of known length (S3 takes up to 5 GiB so). */
  private async put(path: string, key: string): Promise<void> {
    const { client, bucket } = this.s3!;
    const { size } = statSync(path);
    const body = createReadStream(path);
    const failed = new Promise<never>((_, reject) => body.once('error', reject));
    failed.catch(() => undefined);
    try {
      await Promise.race([
        client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: size })),
        failed,
      ]);
    } finally {
      body.destroy();
    }
  }

  private async get(client: S3Client, bucket: string, key: string, to: string): Promise<void> {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((err: Error) => {
      throw err.name === 'NoSuchKey' ? new BackupMissingError(`the store has no object ${key}`) : err;
    });
    await pipeline(out.Body as Readable, createWriteStream(to));
  }

  private async list(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(listed.Contents ?? []).map((o) => o.Key!));
      token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
