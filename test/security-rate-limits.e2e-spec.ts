import { randomBytes } from 'node:crypto';
import { testRedis, type TestRedis } from './support/redis.js';
import { PASSWORD, queryServer, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const LIMITS = {
  LOGIN_FAILURES_PER_ACCOUNT: '10',
  AUTH_REQUESTS_PER_IP_PER_MINUTE: '1000',
  MAILS_PER_ADDRESS_PER_HOUR: '3',
};

/**
 * Issue 9, finding 3 and acceptance 3: failed logins per account, auth requests per IP and mails per address
 * are limited; with REDIS_URL two instances share the counters, without it each counts on its own.
 */
describe('security: abuse limits', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await testRedis();
  });
  afterAll(() => redis?.stop());

  const login = (t: TestApp, email: string, password: string) =>
    t.http.post('/api/v1/core/auth/login', { email, password });

  describe('two instances sharing Redis', () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      a = await startTestApp({ ...LIMITS, REDIS_URL: redis.url });
      b = await startTestApp({ ...LIMITS, REDIS_URL: redis.url, DATABASE_URL: a.coreUrl });
    });
    afterAll(async () => {
      await b?.app.close();
      await a?.close();
    });

    it('counts failures across both: the 11th attempt and the right password answer 429 with Retry-After', async () => {
      const email = `shared-${randomBytes(4).toString('hex')}@example.com`;
      await verifiedOwner(a, email);
      for (let i = 0; i < 10; i++) {
        const res = await login(i % 2 ? b : a, email, 'wrong password number');
        expect(res.status).toBe(401);
      }
      const eleventh = await login(b, email, 'wrong password number');
      expect(eleventh.status).toBe(429);
      expect(eleventh.body.code).toBe('RATE_LIMITED');
      expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
      for (const t of [a, b]) expect((await login(t, email, PASSWORD)).status).toBe(429);
    });

    it('sends at most MAILS_PER_ADDRESS_PER_HOUR mails, registration included, answering 202 to every request', async () => {
      const email = `mails-${randomBytes(4).toString('hex')}@example.com`;
      await verifiedOwner(a, email);
      for (let i = 0; i < 6; i++) {
        const res = await (i % 2 ? b : a).http.post('/api/v1/core/auth/forgot-password', { email });
        expect(res.status).toBe(202);
      }
      const mails = await queryServer<{ n: number }>(
        a.coreUrl,
        `SELECT count(*)::int AS n FROM mail_outbox WHERE recipient = $1`,
        [email],
      );
      // Every mail to the address counts (issue 20): the registration's verification mail, then two resets.
      expect(mails[0].n).toBe(3);
    });
  });

  describe('without Redis', () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      a = await startTestApp({ ...LIMITS, AUTH_REQUESTS_PER_IP_PER_MINUTE: '30' });
      b = await startTestApp({ ...LIMITS, DATABASE_URL: a.coreUrl });
    });
    afterAll(async () => {
      await b?.app.close();
      await a?.close();
    });

    it('limits each instance on its own', async () => {
      const email = `local-${randomBytes(4).toString('hex')}@example.com`;
      await verifiedOwner(a, email);
      for (let i = 0; i < 10; i++) expect((await login(a, email, 'wrong password number')).status).toBe(401);
      expect((await login(a, email, PASSWORD)).status).toBe(429);
      expect((await login(b, email, PASSWORD)).status).toBe(200);
    });

    it('limits requests per client IP to the /auth/ routes, and nothing else', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 35; i++)
        statuses.push(
          (await a.http.post('/api/v1/core/auth/refresh', { refreshToken: 'x'.repeat(40) })).status,
        );
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      const limited = await a.http.post('/api/v1/core/auth/refresh', { refreshToken: 'x'.repeat(40) });
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect((await a.http.get('/health/live')).status).toBe(200);
      expect((await a.http.get('/api/v1/core/me')).status).toBe(401);
    });
  });
});
