import { SchedulerRegistry } from '@nestjs/schedule';
import { CoalescedTask } from './coalesced-task.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('CoalescedTask', () => {
  it('runs one pass at a time and folds triggers during a pass into exactly one more', async () => {
    let passes = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const task = new CoalescedTask(
      async () => {
        passes++;
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        await tick();
        concurrent--;
      },
      () => undefined,
    );
    const first = task.trigger();
    for (let i = 0; i < 10; i++) void task.trigger();
    await first;
    await tick();
    await tick();
    expect(passes).toBe(2);
    expect(maxConcurrent).toBe(1);
  });

  it('reports a failing pass and keeps working', async () => {
    const errors: string[] = [];
    let fail = true;
    const task = new CoalescedTask(
      async () => {
        if (fail) throw new Error('boom');
      },
      (err) => errors.push(err.message),
    );
    await task.trigger();
    fail = false;
    await task.trigger();
    expect(errors).toEqual(['boom']);
  });

  it('stop() waits for the running pass and refuses new ones', async () => {
    let passes = 0;
    let finished = false;
    const task = new CoalescedTask(
      async () => {
        passes++;
        await tick();
        finished = true;
      },
      () => undefined,
    );
    void task.trigger();
    await task.stop();
    expect(finished).toBe(true);
    await task.trigger();
    expect(passes).toBe(1);
    expect(task.isStopped).toBe(true);
  });

  it('runs on a timer with every(), and stop() ends it', async () => {
    let passes = 0;
    const task = new CoalescedTask(
      async () => void passes++,
      () => undefined,
    );
    const scheduler = new SchedulerRegistry();
    await task.every(10, scheduler, 'test-task');
    expect(scheduler.getIntervals()).toEqual(['test-task']);
    await new Promise((r) => setTimeout(r, 60));
    expect(passes).toBeGreaterThanOrEqual(3);
    await task.stop();
    expect(scheduler.getIntervals()).toEqual([]);
    const stoppedAt = passes;
    await new Promise((r) => setTimeout(r, 40));
    expect(passes).toBe(stoppedAt);
  });
});
