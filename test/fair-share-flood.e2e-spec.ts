import { percentile } from '../bench/stats.js';
import { openLoop, type OpenLoopStream } from './support/load.js';
import { startService, type Service } from './support/service.js';
import { adminToken, onboard, tenantHeaders, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const OTHERS = ['calm-a', 'calm-b', 'calm-c', 'calm-d'];
const RATE = 20; // requests per second, each calm tenant
const FLOOD_RATE = RATE * 10;
const SECONDS = 6;

/** Status counts added up. */
const sumCounts = (x: Record<number, number>, y: Record<number, number>) => {
  const out = { ...x };
  for (const [status, n] of Object.entries(y)) out[Number(status)] = (out[Number(status)] ?? 0) + n;
  return out;
};

interface Round {
  /** Latencies (ms) of the calm tenants' requests, and every status each side got. */
  calm: number[];
  calmStatuses: Record<number, number>;
  floodStatuses: Record<number, number>;
  /** How far behind its clock the load process fell at worst (ms). */
  lateMs: number;
}

/**
 * Issue 24, fair shares under a flood: one tenant sending 10× the others' rate against a small connection
 * budget (6, TENANT_MAX_SHARE 0.5) and its own `limits.requestsPerSecond` (100). The others' p99 stays within
 * 2× of their p99 without the flood, they get nothing but 200, and the flooder's refusals are 429 or 503.
 * Load is open-loop (requests sent on a clock, not after the previous reply), from a process of its own (a
 * Jest worker's collections would be counted as the service's latency), against a service process.
 */
describe('one tenant flooding', () => {
  let t: TestApp;
  let service: Service;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp();
    const owner = await verifiedOwner(t, 'flood@example.com');
    for (const slug of [...OTHERS, 'flooder']) {
      await onboard(t, owner, slug);
      tokens.set(slug, await adminToken(t, owner, slug));
    }
    const limited = await t.http.patch(
      '/api/v1/core/organizations/flooder/settings',
      { limits: { requestsPerSecond: 100 } },
      { token: owner.token },
    );
    expect(limited.status).toBe(200);
    service = await startService({
      DATABASE_URL: t.coreUrl,
      TENANT_CONNECTION_BUDGET: '6',
      TENANT_MAX_SHARE: '0.5',
      TENANT_ACQUIRE_TIMEOUT_MS: '300',
    });
  }, 120_000);
  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
    await t?.close();
  });

  const stream = (slug: string, rate: number): OpenLoopStream => ({
    name: slug,
    rate,
    headers: { ...tenantHeaders(slug), authorization: `Bearer ${tokens.get(slug)}` },
  });

  /** SECONDS of load from a process of its own: the calm tenants at RATE, and the flooder at 10× when `flood`. */
  const round = async (flood: boolean): Promise<Round> => {
    const load = await openLoop(service.http.baseUrl, '/api/v1/users/me', SECONDS, [
      ...OTHERS.map((slug) => stream(slug, RATE)),
      ...(flood ? [stream('flooder', FLOOD_RATE)] : []),
    ]);
    const r: Round = {
      calm: [],
      calmStatuses: {},
      floodStatuses: load.streams.flooder?.statuses ?? {},
      lateMs: load.lateMs,
    };
    for (const slug of OTHERS) {
      r.calm.push(...load.streams[slug].latencies);
      r.calmStatuses = sumCounts(r.calmStatuses, load.streams[slug].statuses);
    }
    return r;
  };

  /** Two rounds of one kind as one. */
  const pooled = (a: Round, b: Round): Round => ({
    calm: [...a.calm, ...b.calm],
    calmStatuses: sumCounts(a.calmStatuses, b.calmStatuses),
    floodStatuses: sumCounts(a.floodStatuses, b.floodStatuses),
    lateMs: Math.max(a.lateMs, b.lateMs),
  });

  it("keeps the others' p99 within 2× of it without the flood; only the flooder is refused", async () => {
    await round(false); // warm: every tenant's pool and the service's JIT
    // Alternating rounds, each kind's two pooled: 960 latencies a side, so the p99 is not one round's few
    // slowest replies, and a drift of the machine's own speed falls on both sides alike.
    const [calm1, flooded1, calm2, flooded2] = [
      await round(false),
      await round(true),
      await round(false),
      await round(true),
    ];
    const calm = pooled(calm1, calm2);
    const flooded = pooled(flooded1, flooded2);
    const p99 = (r: Round) => percentile(r.calm, 99);
    console.log(
      `calm tenants' p99: ${p99(calm).toFixed(1)} ms alone, ${p99(flooded).toFixed(1)} ms under the flood; ` +
        `flooder: ${JSON.stringify(flooded.floodStatuses)}; the load process at worst ` +
        `${calm.lateMs.toFixed(0)} / ${flooded.lateMs.toFixed(0)} ms behind its clock`,
    );
    expect(calm.calmStatuses).toEqual({ 200: 2 * OTHERS.length * RATE * SECONDS });
    expect(flooded.calmStatuses).toEqual({ 200: 2 * OTHERS.length * RATE * SECONDS });
    const refused = Object.keys(flooded.floodStatuses)
      .map(Number)
      .filter((s) => s !== 200);
    expect(refused.length).toBeGreaterThan(0); // the flood was refused in part
    expect(refused.every((s) => s === 429 || s === 503)).toBe(true);
    // The bound (2×), plus the machine's own scheduling noise at a p99 of a few milliseconds: the
    // larger of 5 ms and how late the load process itself fell behind its clock in these rounds (1–18 ms on
    // the two-core CI machine). Generous on purpose; the starvation this spec was written for showed 59 ms and
    // 1.4 s, and 503s to the calm tenants, which the status checks above refuse whatever the timing.
    const noise = Math.max(5, calm.lateMs, flooded.lateMs);
    expect(p99(flooded)).toBeLessThanOrEqual(2 * p99(calm) + noise);
  }, 120_000);
});
