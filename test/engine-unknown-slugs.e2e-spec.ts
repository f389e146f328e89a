import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dropDatabase } from '../src/database/postgres-admin.js';
import { scratchDatabaseUrl, testServerUrl } from './support/servers.js';
import { heapAfterGc, startService, type Service } from './support/service.js';

const LOAD = join(process.cwd(), 'test', 'support', 'unknown-slug-load.mjs');

/** `count` requests with random unknown slugs, sent by a load process of its own; the statuses it saw. */
async function load(service: Service, count: number): Promise<Record<string, number>> {
  const { port } = new URL(service.http.baseUrl);
  const { stdout } = await promisify(execFile)(process.execPath, [LOAD, port, String(count)]);
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
}

/**
 * Issue 8, acceptance 5: every cache keyed by client input is bounded. 100,000 requests naming random
 * unknown tenants leave the built service's heap (after GC, read through its heap probe) less than 5 MB larger.
 * The service and the load each run as a process of their own, so the figure is the service's, not Jest's,
 * and neither shares Jest's event loop or heap.
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
    // Warm up: JIT, pools, the caches' own structures at their bound.
    expect(await load(service, 2_000)).toEqual({ 404: 2_000 });
    const before = await heapAfterGc(service);
    expect(await load(service, 100_000)).toEqual({ 404: 100_000 });
    const growth = (await heapAfterGc(service)) - before;
    expect(growth).toBeLessThan(5 * 1024 * 1024);
  }, 300_000);
});
