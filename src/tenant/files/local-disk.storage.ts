import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, FileStorage } from './file-storage.js';
import { keySegment } from './file-storage.js';

/** Files under `<root>/<tenant id>/<file id>`; written to a `.part` file of their own first, renamed when complete. */
export class LocalDiskStorage implements FileStorage {
  constructor(private readonly root: string) {}

  async write(tenantId: string, fileId: string, source: Readable): Promise<void> {
    const dir = join(this.root, keySegment(tenantId));
    await mkdir(dir, { recursive: true });
    const final = join(dir, keySegment(fileId));
    // A part of its own per write: a retried write never meets the part of an earlier attempt.
    const part = `${final}.${randomUUID()}.part`;
    try {
      await pipeline(source, createWriteStream(part, { flags: 'wx' }));
      await rename(part, final);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  }

  async read(tenantId: string, fileId: string, range?: ByteRange): Promise<Readable> {
    const path = join(this.root, keySegment(tenantId), keySegment(fileId));
    const stream = createReadStream(path, range ? { start: range.start, end: range.end } : {});
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
    return stream;
  }

  async remove(tenantId: string, fileId: string): Promise<void> {
    await rm(join(this.root, keySegment(tenantId), keySegment(fileId)), { force: true });
  }

  async removeTenant(tenantId: string): Promise<void> {
    await rm(join(this.root, keySegment(tenantId)), { recursive: true, force: true });
  }

  async signedUrl(): Promise<null> {
    return null;
  }
}
