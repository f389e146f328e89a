import { Redis } from 'ioredis';
import { TenantWorld } from './support/domain.js';
import { expectProblem } from './support/http.js';
import { testRedis, type TestRedis } from './support/redis.js';
import { startService, type Service } from './support/service.js';
import { onboard, adminToken, tenantHeaders } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const LIMIT = 5;

/**
 * A tenant's `limits.requestsPerSecond`, on two instances sharing the counters in Redis: beyond the limit its
 * requests get 429 RATE_LIMITED with Retry-After on either instance; another tenant is not affected.
 */
describe('per-tenant request rate across two instances', () => {
  let redis: TestRedis;
  let t: TestApp;
  let w: TenantWorld;
  let services: Service[] = [];
  let otherToken: string;

  beforeAll(async () => {
    redis = await testRedis();
    t = await startTestApp({ REDIS_URL: redis.url });
    w = await TenantWorld.create(t, 'rate-busy');
    await onboard(t, w.owner, 'rate-calm');
    otherToken = await adminToken(t, w.owner, 'rate-calm');
    const settings = await t.http.patch(
      `/api/v1/core/organizations/${w.slug}/settings`,
      { limits: { requestsPerSecond: LIMIT } },
      { token: w.owner.token },
    );
    expect(settings.body.limits.requestsPerSecond).toBe(LIMIT);
    services = await Promise.all(
      [1, 2].map(() => startService({ DATABASE_URL: t.coreUrl, REDIS_URL: redis.url })),
    );
  }, 120_000);
  afterAll(async () => {
    for (const s of services) s.child.kill('SIGTERM');
    await Promise.all(services.map((s) => s.exited));
    await t?.close();
    await redis?.stop();
  });

  const me = (s: Service, slug: string, token: string) =>
    s.http.get('/api/v1/users/me', { token, headers: tenantHeaders(slug) });

  it('answers 429 with Retry-After beyond the limit, counted once for both instances', async () => {
    const store = new Redis(redis.url);
    const key = `tenantry:tenant-rps-${LIMIT}:${(await t.http.get('/api/v1/organization', { token: w.tokens.admin, headers: tenantHeaders(w.slug) })).body.id}`;
    try {
      // A burst within one window (1 s); retried when the machine was too slow to fit one in.
      for (let attempt = 0; attempt < 3; attempt++) {
        await new Promise((r) => setTimeout(r, 1100));
        const started = Date.now();
        const replies = await Promise.all(
          Array.from({ length: 40 }, (_, i) => me(services[i % 2], w.slug, w.tokens.admin)),
        );
        const elapsed = Date.now() - started;
        const counted = Number(await store.get(key));
        const ok = replies.filter((r) => r.status === 200);
        const limited = replies.filter((r) => r.status === 429);
        expect(ok.length + limited.length).toBe(40);
        for (const r of limited.slice(0, 3)) {
          expectProblem(r, 429, 'RATE_LIMITED');
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        }
        if (elapsed > 600) continue;
        // One window: the limit for both instances together, and every request counted in the one store.
        expect(ok.length).toBeLessThanOrEqual(2 * LIMIT);
        expect(ok.length).toBeGreaterThanOrEqual(LIMIT);
        expect(counted).toBeGreaterThan(20);
        return;
      }
      throw new Error('no burst of 40 requests fit in 600 ms on this machine');
    } finally {
      store.disconnect();
    }
  }, 60_000);

  it('leaves another tenant unaffected, and the limited one serves again after the window', async () => {
    const calm = await Promise.all(
      Array.from({ length: 20 }, (_, i) => me(services[i % 2], 'rate-calm', otherToken)),
    );
    expect(calm.map((r) => r.status)).toEqual(Array(20).fill(200));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await me(services[0], w.slug, w.tokens.admin)).status).toBe(200);
  }, 30_000);
});
