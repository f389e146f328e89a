import { UnavailableError } from '../errors/unavailable-error.js';

export class AdmissionQueueFullError extends UnavailableError {
  constructor() {
    super('Too many operations are waiting; retry shortly.');
    this.name = 'AdmissionQueueFullError';
  }
}

/**
 * Runs at most `concurrency` operations at once; up to `queue` more wait their turn in order; beyond that
 * a new one is refused at once (the caller answers 503 + Retry-After rather than piling up).
 */
export class AdmissionQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw new AdmissionQueueFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
