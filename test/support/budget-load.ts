import { TenantConnectionRegistry } from '../../src/tenancy/index.js';
import { drive, sampleMax } from './load.js';
import { type OwnPostgres, startOwnPostgres } from './own-postgres.js';
import { adminToken, onboard, verifiedOwner } from './tenants.js';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * Issue 8, acceptance 1: a server with max_connections=40, far more tenants than the connection budget,
 * 128 concurrent clients across all of them. Postgres itself is sampled: tenant connections never exceed
 * the budget, and every reply is 200 or 503 with Retry-After — never 401, never 500.
 */
export function describeBudgetUnderLoad(
  name: string,
  extraEnv: (pg: OwnPostgres) => Promise<{
    env: Record<string, string>;
    /** Tenant connections as the pooler in between counts them (its client side), when there is one. */
    clients?: () => Promise<number>;
    stop?: () => Promise<void>;
  }>,
  /**
   * What bounds the connections Postgres sees: the service's budget (direct connections), or nothing the
   * service controls (through PgBouncer, whose per-database pools and auth_query connections outlive the
   * service's client connections; docs/reference/tenancy.md): then only the service's own side is asserted.
   */
  serverBound: 'budget' | 'pgbouncer' = 'budget',
  maxConnections = 40,
  /**
   * The share of 200s below which the run counts as shedding too much: overload is answered 503, but a
   * service must not shed most of its traffic to stay in budget. Direct: measured 0.47-0.66 in full CI runs
   * on this 2-core machine (the load and the server share it); the floor is half the lowest.
   */
  minOkShare = 0.25,
): void {
  describe(name, () => {
    let pg: OwnPostgres;
    let t: TestApp;
    const tenants: { slug: string; token: string }[] = [];
    let budget: number;
    let stopExtra: (() => Promise<void>) | undefined;
    let poolerClients: (() => Promise<number>) | undefined;

    beforeAll(async () => {
      pg = await startOwnPostgres(maxConnections);
      const extra = await extraEnv(pg);
      stopExtra = extra.stop;
      poolerClients = extra.clients;
      // One owner holds every tenant here; the per-owner quota is another spec's.
      t = await startTestApp({
        DATABASE_URL: pg.coreUrl,
        TENANT_ACQUIRE_TIMEOUT_MS: '300',
        ORG_LIMIT_PER_OWNER: '1000',
        ...extra.env,
      });
      budget = t.app.get(TenantConnectionRegistry).budget.tenants;
      const owner = await verifiedOwner(t, 'load@example.com');
      for (let i = 0; i < budget * 4; i++) {
        const slug = `load-${i}`;
        await onboard(t, owner, slug);
        tenants.push({ slug, token: await retryingUnavailable(() => adminToken(t, owner, slug)) });
      }
    }, 180_000);

    afterAll(async () => {
      await t?.app.close();
      await stopExtra?.();
      await pg?.stop();
    });

    it('derives a budget that fits the small server', () => {
      expect(budget).toBeGreaterThan(0);
      expect(budget).toBeLessThan(maxConnections - 10);
    });

    it('never holds more than the budget; answers 200 or 503 + Retry-After only', async () => {
      const sampler = sampleMax(
        async () => ({ ...(await pg.connections()), pooler: (await poolerClients?.()) ?? 0 }),
        50,
      );
      const result = await drive(t.http, 128, 12, (i) => {
        const tenant = tenants[(i * 7919) % tenants.length];
        return (h) =>
          h.get('/api/v1/users/me', { token: tenant.token, headers: { 'x-tenant': tenant.slug } });
      });
      const max = await sampler.stop();
      expect(result.unexpected).toEqual([]);
      // Overload is answered 503, but the service must not shed most of its traffic to stay in budget.
      const replies = Object.values(result.statuses).reduce((a, b) => a + b, 0);
      process.stdout.write(`${name}: ${result.statuses[200] ?? 0} of ${replies} replies 200\n`);
      expect((result.statuses[200] ?? 0) / replies).toBeGreaterThan(minOkShare);
      if (serverBound === 'budget') expect(max.tenant).toBeLessThanOrEqual(budget);
      if (poolerClients) expect(max.pooler).toBeGreaterThan(0); // the sampler saw the service's clients
      if (poolerClients) expect(max.pooler).toBeLessThanOrEqual(budget);
      if (serverBound === 'budget') expect(max.total).toBeLessThan(maxConnections);
      expect(t.app.get(TenantConnectionRegistry).stats().peakOpen).toBeLessThanOrEqual(budget);
    });
  });
}

/**
 * Setup on a 40-connection server with a 300 ms acquire wait may meet the contract's overload answer
 * (503 + Retry-After, seen once in CI behind PgBouncer): a client retries it, and so does the setup. The
 * load phase's assertions are unchanged (every reply 200 or 503 + Retry-After).
 */
async function retryingUnavailable<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !/: 503 /.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 1000)); // the service's Retry-After for SERVICE_UNAVAILABLE
    }
  }
}
