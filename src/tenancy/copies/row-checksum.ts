import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

const MASK = (1n << 64n) - 1n;

/**
 * An order-free checksum of a table's COPY text: the sum (mod 2^64) of the first 8 bytes of each row's
 * SHA-256, each row being one line. A copy whose rows come back in another physical order sums alike; one
 * changed, missing or extra row does not.
 */
export class RowChecksum {
  private sum = 0n;
  private carry: Buffer = Buffer.alloc(0);
  rows = 0;

  /** Feeds a chunk of COPY text (rows may span chunks; split on bytes, so a character may too). */
  add(chunk: Buffer | string): void {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.carry.length > 0) data = Buffer.concat([this.carry, data]);
    let start = 0;
    for (let end = data.indexOf(10, start); end >= 0; end = data.indexOf(10, start)) {
      this.row(data.subarray(start, end));
      start = end + 1;
    }
    this.carry = Buffer.from(data.subarray(start));
  }

  /** The checksum as hex; a row not ended by a newline counts too. */
  digest(): string {
    if (this.carry.length > 0) {
      this.row(this.carry);
      this.carry = Buffer.alloc(0);
    }
    return this.sum.toString(16).padStart(16, '0');
  }

  private row(line: Buffer): void {
    this.sum = (this.sum + createHash('sha256').update(line).digest().readBigUInt64BE(0)) & MASK;
    this.rows++;
  }
}

/** Reads `stream` to its end: its rows and checksum. */
export async function checksumOf(stream: Readable): Promise<{ rows: number; checksum: string }> {
  const sum = new RowChecksum();
  for await (const chunk of stream) sum.add(chunk as Buffer);
  const checksum = sum.digest();
  return { rows: sum.rows, checksum };
}
