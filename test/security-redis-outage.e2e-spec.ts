import { Redis } from 'ioredis';
import { PASSWORD, verifiedOwner } from './support/tenants.js';
import { startOwnRedis, type TestRedis } from './support/redis.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 21, item 6: the abuse limits when their Redis goes away. Each instance falls back to counters of its
 * own (rate-limiter-flexible's insurance limiter) and the service answers as ever — 401 and 429, never a
 * 5xx; when Redis is back, the counters are shared through it again.
 */
describe('security: abuse limits through a Redis outage', () => {
  let redis: TestRedis;
  let port: number;
  let t: TestApp;
  const login = (email: string, password: string) =>
    t.http.post('/api/v1/core/auth/login', { email, password });

  beforeAll(async () => {
    redis = await startOwnRedis();
    port = Number(new URL(redis.url).port);
    t = await startTestApp({
      REDIS_URL: redis.url,
      LOGIN_FAILURES_PER_ACCOUNT: '5',
      AUTH_REQUESTS_PER_IP_PER_MINUTE: '1000',
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('limits on its own counters while Redis is down, and through Redis again once it is back', async () => {
    const down = await verifiedOwner(t, 'redis-down@example.com');
    await redis.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(down.email, 'a wrong password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect((await login(down.email, PASSWORD)).status).toBe(429);
    expect((await t.http.get('/api/v1/core/me', { token: down.token })).status).toBe(200);

    redis = await startOwnRedis(port);
    const client = new Redis(redis.url);
    try {
      // ioredis reconnects by itself; until it has, the memory counters go on answering.
      const back = await verifiedOwner(t, 'redis-back@example.com');
      let shared = false;
      for (let i = 0; i < 50 && !shared; i++) {
        expect([401, 429]).toContain((await login(back.email, 'a wrong password')).status);
        shared = (await client.keys('tenantry:login-fail*')).length > 0;
        if (!shared) await new Promise((r) => setTimeout(r, 200));
      }
      expect(shared).toBe(true); // the failures are counted in Redis again
    } finally {
      client.disconnect();
    }
  }, 60_000);
});
