import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces a stream of bytes to at most `bytesPerSecond` on average (unlimited when not positive): `take(n)`
 * resolves once `n` more bytes fit. A scheduled backup uses it so that it does not take the cores from the
 * requests of every other tenant (`npm run bench:backup`).
 */
export class ByteRate {
  /** From the first bytes: time before them (a scratch database built, migrations) is not credit to spend. */
  private started = 0;
  private used = 0;

  constructor(private readonly bytesPerSecond: number) {}

  async take(bytes: number): Promise<void> {
    if (!(this.bytesPerSecond > 0)) return;
    if (this.used === 0) this.started = performance.now();
    this.used += bytes;
    const due = this.started + (this.used / this.bytesPerSecond) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
  }
}
