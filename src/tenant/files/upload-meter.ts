import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** How many leading bytes content sniffing looks at. */
export const SNIFF_BYTES = 4100;

/** Why an upload was cut off while streaming. */
export class UploadLimitError extends Error {
  constructor(readonly limit: 'file' | 'quota') {
    super(`upload over the ${limit} limit`);
  }
}

/**
 * Passes an upload through while counting, hashing (sha256) and keeping its first bytes for sniffing;
 * errors (so the pipeline stops and the store removes its part) as soon as a limit is passed.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly quotaBytes: number | null,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(new UploadLimitError('file'));
    if (this.quotaBytes !== null && this.bytes > this.quotaBytes) return done(new UploadLimitError('quota'));
    this.hash.update(chunk);
    if (this.headLength < SNIFF_BYTES) {
      const take = chunk.subarray(0, SNIFF_BYTES - this.headLength);
      this.headChunks.push(Buffer.from(take));
      this.headLength += take.length;
    }
    done(null, chunk);
  }

  get head(): Buffer {
    return Buffer.concat(this.headChunks);
  }

  get sha256(): string {
    return this.hash.digest('hex');
  }
}
