import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { ByteRate } from './byte-rate.js';
import { RowChecksum } from './row-checksum.js';
import type { DataSnapshot, TableSpec } from './table-data.js';

/** The first line of every archive names its format; a later format bumps `version`. */
export const ARCHIVE_FORMAT = 'tenantry-tenant-backup';
export const ARCHIVE_VERSION = 1;
/** The largest chunk a reader accepts (64 MiB). */
const MAX_CHUNK = 64 * 1024 * 1024;

export interface ArchiveManifest extends DataSnapshot {
  format: typeof ARCHIVE_FORMAT;
  version: number;
  createdAt: string;
  tenant: { id: string; slug: string; name: string };
}

/** Why an archive cannot be read: not one of ours, cut short, or corrupt. */
export class ArchiveError extends Error {}

/**
 * A tenant backup that needs no Postgres client programs (docs/reference/scale-out.md): a gzip stream of a manifest
 * line (JSON: format, the schema's migrations, the tables and columns, the sequences), then each table's
 * rows as COPY text in chunks (`<length>\n<bytes>`, a `0\n` ends the table), then a trailer line with
 * every table's row count. gzip's CRC catches corruption; the trailer catches an archive cut short.
 */
export class ArchiveWriter {
  // Level 1: a third of the default level's CPU for a slightly larger file; a backup shares the cores with
  // the requests of every other tenant (npm run bench:backup, docs/designs/performance.md).
  private readonly gzip = createGzip({ level: 1 });
  private readonly file: Writable;
  private readonly done: Promise<void>;
  /** Whether this writer created the file (so that a failure removes its own file, never another's). */
  created = false;

  constructor(path: string) {
    this.file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.file.once('open', () => (this.created = true));
    this.gzip.pipe(this.file);
    this.gzip.on('error', (err) => this.file.destroy(err));
    // A file that fails (a full disk, a path taken) fails the gzip stream too: a write waiting for 'drain'
    // would otherwise wait for ever.
    this.file.on('error', (err) => this.gzip.destroy(err));
    this.done = finished(this.file);
    this.done.catch(() => undefined); // awaited in end(); an early failure must not go unhandled meanwhile
  }

  async manifest(manifest: ArchiveManifest): Promise<void> {
    await this.write(`${JSON.stringify(manifest)}\n`);
  }

  /** One table's COPY text, chunk by chunk as it comes. */
  /** Writes a table's COPY text; resolves its checksum (row-checksum.ts). */
  async table(table: TableSpec, rows: Readable, rate?: ByteRate): Promise<string> {
    await this.write(`${JSON.stringify({ table: table.name })}\n`);
    const sum = new RowChecksum();
    for await (const chunk of rows as AsyncIterable<Buffer>) {
      sum.add(chunk);
      await this.write(`${chunk.length}\n`);
      await this.write(chunk);
      await rate?.take(chunk.length);
    }
    await this.write('0\n');
    return sum.digest();
  }

  /** The trailer: each table's rows, and their checksums (row-checksum.ts) when given. */
  async end(rows: Record<string, number>, checksums?: Record<string, string>): Promise<void> {
    await this.write(`${JSON.stringify({ end: true, rows, checksums })}\n`);
    this.gzip.end();
    await this.done;
  }

  /** Stops writing (the caller removes the file). */
  abort(err: Error): void {
    this.gzip.destroy(err);
    this.file.destroy(err);
  }

  private async write(data: string | Buffer): Promise<void> {
    if (this.gzip.destroyed) await this.done; // rejects with the file's error
    // once() rejects on the stream's 'error': a failing file ends the wait.
    if (!this.gzip.write(data))
      await Promise.race([once(this.gzip, 'drain'), this.done.then(() => undefined)]);
  }
}

/** Reads an archive front to back: the manifest, then each table in the manifest's order, then the trailer. */
export class ArchiveReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private buffer = Buffer.alloc(0);

  private readonly file: ReturnType<typeof createReadStream>;

  private constructor(path: string) {
    const gunzip = createGunzip();
    const file = (this.file = createReadStream(path));
    file.on('error', (err) => gunzip.destroy(err));
    file.pipe(gunzip);
    this.chunks = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** Opens `path` and reads its manifest; an ArchiveError when it is not a readable archive of ours. */
  static async open(path: string): Promise<{ reader: ArchiveReader; manifest: ArchiveManifest }> {
    const reader = new ArchiveReader(path);
    let manifest: ArchiveManifest;
    try {
      manifest = JSON.parse((await reader.line()).toString('utf8')) as ArchiveManifest;
    } catch (err) {
      await reader.close().catch(() => undefined);
      throw new ArchiveError(`${path} is not a tenant backup (${(err as Error).message})`);
    }
    if (manifest?.format !== ARCHIVE_FORMAT || manifest.version !== ARCHIVE_VERSION) {
      await reader.close();
      throw new ArchiveError(`not a ${ARCHIVE_FORMAT} archive of version ${ARCHIVE_VERSION}`);
    }
    return { reader, manifest };
  }

  /** The next table's COPY text; `expected` must be the table the archive holds next. */
  async table(expected: TableSpec, rate?: ByteRate): Promise<Readable> {
    const header = JSON.parse((await this.line()).toString('utf8')) as { table?: string };
    if (header.table !== expected.name)
      throw new ArchiveError(`expected the rows of ${expected.name}, found ${JSON.stringify(header)}`);
    const next = async (): Promise<Buffer | null> => {
      const length = Number((await this.line()).toString('utf8'));
      // A writer's chunk is one COPY read (kilobytes); anything near this is corruption, not data.
      if (!Number.isSafeInteger(length) || length < 0 || length > MAX_CHUNK)
        throw new ArchiveError('a corrupt chunk length');
      await rate?.take(length);
      return length === 0 ? null : this.bytes(length);
    };
    return Readable.from(
      (async function* () {
        for (let chunk = await next(); chunk; chunk = await next()) yield chunk;
      })(),
    );
  }

  /** The trailer's row counts; an ArchiveError when the archive ends before it. */
  async trailer(): Promise<Record<string, number>> {
    return (await this.fullTrailer()).rows;
  }

  /** The trailer: row counts, and each table's checksum (archives written before checksums have none). */
  async fullTrailer(): Promise<{ rows: Record<string, number>; checksums?: Record<string, string> }> {
    const trailer = JSON.parse((await this.line()).toString('utf8')) as {
      end?: boolean;
      rows?: Record<string, number>;
      checksums?: Record<string, string>;
    };
    if (trailer.end !== true || !trailer.rows) throw new ArchiveError('the archive has no trailer');
    return { rows: trailer.rows, checksums: trailer.checksums };
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
    this.file.destroy();
  }

  private async fill(): Promise<void> {
    let next: IteratorResult<Buffer>;
    try {
      next = await this.chunks.next();
    } catch (err) {
      throw new ArchiveError(`the archive is corrupt (${(err as Error).message})`);
    }
    if (next.done) throw new ArchiveError('the archive ends too soon');
    this.buffer = Buffer.concat([this.buffer, next.value]);
  }

  private async line(): Promise<Buffer> {
    let at: number;
    while ((at = this.buffer.indexOf(10)) < 0) {
      if (this.buffer.length > 64 * 1024 * 1024) throw new ArchiveError('a header line over 64 MiB');
      await this.fill();
    }
    const line = this.buffer.subarray(0, at);
    this.buffer = this.buffer.subarray(at + 1);
    return line;
  }

  private async bytes(n: number): Promise<Buffer> {
    while (this.buffer.length < n) await this.fill();
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }
}
