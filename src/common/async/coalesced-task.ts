import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Runs an async pass at most once at a time: a trigger during a pass asks for exactly one more pass right
 * after it, however many triggers came. `every()` also triggers it on an interval registered with
 * @nestjs/schedule's SchedulerRegistry (named, listed, cleared at shutdown; it never keeps the process
 * alive). `stop()` ends the interval, refuses new passes and waits for the running one.
 */
export class CoalescedTask {
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private unschedule?: () => void;

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

  /** Triggers a pass every `ms` until stopped, as the interval `name` of `scheduler`; returns the first pass. */
  every(ms: number, scheduler: SchedulerRegistry, name: string): Promise<void> {
    this.unschedule?.();
    const interval = setInterval(() => void this.trigger(), ms);
    interval.unref();
    scheduler.addInterval(name, interval);
    this.unschedule = () => {
      if (scheduler.doesExist('interval', name)) scheduler.deleteInterval(name);
      else clearInterval(interval);
    };
    return this.trigger();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unschedule?.();
    await this.running;
  }
}
