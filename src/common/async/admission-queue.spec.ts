import { AdmissionQueue, AdmissionQueueFullError } from './admission-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('AdmissionQueue', () => {
  it('runs at most `concurrency` at once, queues `queue` more in order, refuses the rest at once', async () => {
    const q = new AdmissionQueue(2, 2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      q.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(q.size).toEqual({ running: 2, waiting: 2 });
    await expect(q.run(async () => 99)).rejects.toBeInstanceOf(AdmissionQueueFullError);

    gates[1].resolve();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    gates[3].resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(q.size).toEqual({ running: 0, waiting: 0 });
  });

  it('frees its slot when an operation fails', async () => {
    const q = new AdmissionQueue(1, 0);
    await expect(q.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(q.run(async () => 'next')).resolves.toBe('next');
  });
});
