import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces a stream of bytes to at most `bytesPerSecond` on average (unlimited when not positive): `take(n)`
 * resolves once `n` more bytes fit. A scheduled backup uses it so that it does not take the cores from the
 * requests of every other tenant (`npm run bench:backup`).
 */
export class ByteRate {
  private readonly started = performance.now();
  private used = 0;

  constructor(private readonly bytesPerSecond: number) {}

  async take(bytes: number): Promise<void> {
    if (!(this.bytesPerSecond > 0)) return;
    this.used += bytes;
    const due = this.started + (this.used / this.bytesPerSecond) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
  }
}
