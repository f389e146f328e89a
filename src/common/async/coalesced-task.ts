/**
 * Runs an async pass at most once at a time: a trigger during a pass asks for exactly one more pass right
 * after it, however many triggers came. `every(ms)` also triggers it on a timer (which never keeps the
 * process alive). `stop()` ends the timer, refuses new passes and waits for the running one.
 */
export class CoalescedTask {
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (err: Error) => void,
  ) {}

  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass()
      .catch((err: Error) => this.onError(err))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.trigger();
        }
      });
    return this.running;
  }

  /** Triggers a pass every `ms` until stopped; returns the first pass. */
  every(ms: number): Promise<void> {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.trigger(), ms);
    this.timer.unref();
    return this.trigger();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
