import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { dropDatabase } from '../src/database/postgres-admin.js';
import { scratchDatabaseUrl, testServerUrl } from './support/servers.js';
import { heapAfterGc, startService, type Service } from './support/service.js';

/**
 * Issue 8, acceptance 5: every cache keyed by client input is bounded. 100,000 requests naming random
 * unknown tenants leave the built service's heap (after GC, read through its heap probe) less than 5 MB larger.
 * The service runs as its own process, so the figure is the service's and not Jest's, and the requests are
 * not slowed by sharing Jest's event loop.
 */
describe('unknown tenant slugs cannot grow memory', () => {
  const core = scratchDatabaseUrl();
  let service: Service;
  beforeAll(async () => {
    service = await startService({ DATABASE_URL: core.url }, { heapProbe: true });
  }, 60_000);
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await service?.exited;
    await dropDatabase(testServerUrl(), core.name);
  });

  it('answers 404 to 100k random slugs with < 5 MB heap growth', async () => {
    // node:http with a keep-alive agent: a light client, so the 100k requests measure the server.
    const agent = new Agent({ keepAlive: true, maxSockets: 100 });
    const { port } = new URL(service.http.baseUrl);
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
    const before = await heapAfterGc(service);
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 1000; batch++) {
      const replies = await Promise.all(Array.from({ length: 100 }, send));
      for (const r of replies) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
    }
    agent.destroy();
    const growth = (await heapAfterGc(service)) - before;
    expect(Object.fromEntries(statuses)).toEqual({ 404: 100_000 });
    expect(growth).toBeLessThan(5 * 1024 * 1024);
  }, 300_000);
});
