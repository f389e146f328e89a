import { Registry } from 'prom-client';
import { TenantConnectionRegistry } from '../src/tenancy/index.js';
import { testServerUrl } from './support/servers.js';
import { adminToken, onboard, Owner, queryServer, tenantHeaders, verifiedOwner } from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

async function metric(t: TestApp, name: string): Promise<number> {
  // Counters have plain values; a histogram's count is its `<name>_count` value.
  const values = ((await t.app.get(Registry).getSingleMetric(name)?.get())?.values ?? []) as {
    value: number;
    metricName?: string;
  }[];
  return values.reduce(
    (sum, v) => sum + (v.metricName?.endsWith('_count') || !v.metricName ? v.value : 0),
    0,
  );
}

describe('tenant connection registry', () => {
  describe('cold tenant', () => {
    let t: TestApp;
    let owner: Owner;

    beforeAll(async () => {
      t = await startTestApp({ TENANT_POOL_MAX: '3' });
      owner = await verifiedOwner(t, 'sf@example.com');
      await onboard(t, owner, 'cold-one');
    });
    afterAll(() => t?.close());

    it('opens at most TENANT_POOL_MAX connections for 50 concurrent first requests', async () => {
      const token = await adminToken(t, owner, 'cold-one');
      const registry = t.app.get(TenantConnectionRegistry);
      const id = (await t.http.get('/api/v1/core/organizations/cold-one', { token: owner.token })).body.id;
      registry.evict(id); // make the tenant cold
      await new Promise((r) => setTimeout(r, 20));
      expect(registry.held(id)).toBe(0);
      const opensBefore = await metric(t, 'tenant_connection_open_seconds');

      const replies = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.http.get('/api/v1/users/me', { token, headers: tenantHeaders('cold-one') }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
      const opened = (await metric(t, 'tenant_connection_open_seconds')) - opensBefore;
      expect(opened).toBeGreaterThanOrEqual(1);
      expect(opened).toBeLessThanOrEqual(3);
      expect(registry.held(id)).toBeLessThanOrEqual(3);
    });
  });

  describe('budget of 2 connections', () => {
    let t: TestApp;
    let owner: Owner;
    const slugs = ['lru-1', 'lru-2', 'lru-3', 'lru-4', 'lru-5', 'lru-6'];
    const tokens: Record<string, string> = {};
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await startTestApp({
        TENANT_CONNECTION_BUDGET: '2',
        TENANT_POOL_MAX: '2',
        TENANT_ACQUIRE_TIMEOUT_MS: '5000',
      });
      owner = await verifiedOwner(t, 'lru@example.com');
      for (const slug of slugs) {
        ids[slug] = (await onboard(t, owner, slug)).id;
        tokens[slug] = await adminToken(t, owner, slug);
      }
    });
    afterAll(() => t?.close());

    it('serves 6 tenants under mixed concurrent traffic with never more than 2 connections', async () => {
      const registry = t.app.get(TenantConnectionRegistry);
      const roles = Object.values(ids).map((id) => `t_${id.replace(/-/g, '')}`);
      let maxOnServer = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const [row] = await queryServer<{ n: number }>(
            testServerUrl(),
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = ANY($1)',
            [roles],
          );
          maxOnServer = Math.max(maxOnServer, row.n);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const requests = Array.from({ length: 240 }, (_, i) => {
        const slug = slugs[(i * 7) % slugs.length];
        return t.http.get('/api/v1/users/me', { token: tokens[slug], headers: tenantHeaders(slug) });
      });
      const replies = await Promise.all(requests);
      sampling = false;
      await sampler;
      expect(replies.filter((r) => r.status !== 200).map((r) => r.text)).toEqual([]);
      expect(registry.stats().peakOpen).toBeLessThanOrEqual(2);
      expect(maxOnServer).toBeLessThanOrEqual(2);
      expect(await metric(t, 'tenant_connections_closed_total')).toBeGreaterThan(0);
    });

    it('lets a slow transaction finish while other tenants take the rest of the budget', async () => {
      const registry = t.app.get(TenantConnectionRegistry);
      const slow = registry.withConnection({ server: 'primary', id: ids['lru-1'] }, (m) =>
        m.transaction(async (tx) => {
          await tx.query('SELECT pg_sleep(1)');
          return (await tx.query('SELECT count(*)::int AS n FROM users'))[0].n as number;
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
      for (const slug of ['lru-2', 'lru-3', 'lru-4', 'lru-5']) {
        const res = await t.http.get('/api/v1/users/me', {
          token: tokens[slug],
          headers: tenantHeaders(slug),
        });
        expect(res.status).toBe(200);
      }
      expect(registry.stats().peakOpen).toBeLessThanOrEqual(2);
      await expect(slow).resolves.toBe(1);
    });
  });

  it('derives the budget from max_connections; an explicit setting can only lower it', async () => {
    const t = await startTestApp({ TENANT_CONNECTION_BUDGET: '100000' });
    try {
      const budget = t.app.get(TenantConnectionRegistry).budget;
      const [row] = await queryServer<{ max: number }>(
        testServerUrl(),
        `SELECT current_setting('max_connections')::int AS max`,
      );
      expect(budget.maxConnections).toBe(row.max);
      expect(budget.tenants).toBe(budget.derived);
      expect(budget.tenants).toBeLessThan(row.max);
      const metrics = (await t.http.get('/metrics')).text;
      expect(metrics).toContain(`tenant_connection_budget ${budget.tenants}`);
    } finally {
      await t.close();
    }
  });
});
