import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestApp, type TestApp } from './support/test-app.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Issue 8, acceptance 5: every cache keyed by client input is bounded. 100,000 requests naming random
 * unknown tenants leave the heap (after GC) less than 5 MB larger.
 */
describe('unknown tenant slugs cannot grow memory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('answers 404 to 100k random slugs with < 5 MB heap growth', async () => {
    // node:http with a keep-alive agent: a light client, so the 100k requests measure the server.
    const agent = new Agent({ keepAlive: true, maxSockets: 100 });
    const { port } = new URL(t.baseUrl);
    const send = () =>
      new Promise<{ statusCode: number }>((resolve, reject) => {
        const req = request(
          {
            agent,
            port,
            host: '127.0.0.1',
            path: '/api/v1/users/me',
            headers: { 'x-tenant': `u${randomBytes(8).toString('hex')}` },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ statusCode: res.statusCode ?? 0 }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    // Warm up: JIT, pools, the caches' own structures at their bound.
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 100 }, send));
    const before = await settledHeap();
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 1000; batch++) {
      const replies = await Promise.all(Array.from({ length: 100 }, send));
      for (const r of replies) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
    }
    agent.destroy();
    const growth = (await settledHeap()) - before;
    expect(Object.fromEntries(statuses)).toEqual({ 404: 100_000 });
    expect(growth).toBeLessThan(5 * 1024 * 1024);
  }, 300_000);
});
