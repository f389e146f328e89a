import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 9, finding 2 and acceptance 4: JSON bodies cannot be expensive. Depth and value count are decided on
 * the raw text before parsing or validation; small routes take small bodies.
 */
describe('security: bounded JSON bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(PRODUCTION_ENV);
  });
  afterAll(() => t?.close());

  const MIB = 1024 * 1024;
  const nested = '['.repeat(MIB / 2 - 1) + ']'.repeat(MIB / 2 - 1);
  const flat = `[${'1,'.repeat(MIB / 2 - 2)}1]`;
  const post = (path: string, raw: string) =>
    fetch(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });

  it('refuses a maximally nested 1 MiB body with 400 MALFORMED_JSON in well under 50 ms of CPU', async () => {
    // Client and server share this process, and its CPU clock also counts GC threads finishing earlier
    // specs' garbage (85–88 ms seen once each): the cost of a refusal is the best of five readings.
    const readings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const cpu = process.cpuUsage();
      const res = await post('/api/v1/items', nested);
      const used = process.cpuUsage(cpu);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; status: number; detail: string };
      expect(body).toMatchObject({ code: 'MALFORMED_JSON', status: 400 });
      expect(body.detail).toMatch(/deeper than 32/);
      readings.push((used.user + used.system) / 1000);
    }
    expect(Math.min(...readings)).toBeLessThan(50);
  });

  it('refuses a flat body of more than 10,000 values, and accepts one of 33 levels only as invalid input', async () => {
    const res = await post('/api/v1/items', flat);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('MALFORMED_JSON');
    const deep33 = await post('/api/v1/core/auth/register', `{"x":${'['.repeat(32)}${']'.repeat(32)}}`);
    expect(((await deep33.json()) as { code: string }).code).toBe('MALFORMED_JSON');
    const deep20 = await post('/api/v1/core/auth/register', `{"x":${'['.repeat(20)}${']'.repeat(20)}}`);
    expect(((await deep20.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('keeps other requests fast while ten such bodies arrive at once', async () => {
    const attacks = Array.from({ length: 10 }, (_, i) => post('/api/v1/items', i % 2 ? nested : flat));
    const started = performance.now();
    const live = await t.http.get('/health/live');
    const took = performance.now() - started;
    const replies = await Promise.all(attacks);
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(400));
    expect(live.status).toBe(200);
    // The finding was 11 s of stall. Client and server share this process (the client writes the 10 MiB too),
    // so the bound is generous for a loaded CI machine (672 ms seen while npm ran beside it); the CPU bound of
    // one body is asserted above.
    expect(took).toBeLessThan(2000);
  });

  it('gives sign-in and token routes a 16 KiB limit (413), and refuses prototype poisoning', async () => {
    const big = await post(
      '/api/v1/core/auth/login',
      JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(20_000) }),
    );
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    const poisoned = await post(
      '/api/v1/core/auth/login',
      '{"__proto__": {"admin": true}, "email": "a@example.com"}',
    );
    expect(poisoned.status).toBe(400);
    expect(((await poisoned.json()) as { code: string }).code).toBe('MALFORMED_JSON');
  });
});
