import { Registry } from 'prom-client';
import { TenantDataSourceRegistry } from '../src/tenancy/tenant-datasource.registry.js';
import { adminToken, onboard, Owner, tenantHeaders, verifiedOwner } from './support/tenants.js';
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

describe('tenant DataSource registry', () => {
  describe('single flight', () => {
    let t: TestApp;
    let owner: Owner;

    beforeAll(async () => {
      t = await startTestApp();
      owner = await verifiedOwner(t, 'sf@example.com');
      await onboard(t, owner, 'cold-one');
    });
    afterAll(() => t?.close());

    it('initialises exactly one DataSource for 50 concurrent first requests to a cold tenant', async () => {
      const token = await adminToken(t, owner, 'cold-one');
      const registry = t.app.get(TenantDataSourceRegistry);
      // Make the tenant cold: drop what onboarding and the exchange warmed up.
      registry.evict(
        (await t.http.get('/api/v1/core/organizations/cold-one', { token: owner.token })).body.id,
        'lru',
      );
      expect(registry.liveCount).toBe(0);
      const initsBefore = await metric(t, 'tenant_datasource_init_seconds');

      const replies = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.http.get('/api/v1/users/me', { token, headers: tenantHeaders('cold-one') }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect((await metric(t, 'tenant_datasource_init_seconds')) - initsBefore).toBe(1);
      expect(registry.liveCount).toBe(1);
    });
  });

  describe('bounded to TENANT_MAX_DATASOURCES=2', () => {
    let t: TestApp;
    let owner: Owner;
    const slugs = ['lru-1', 'lru-2', 'lru-3', 'lru-4', 'lru-5', 'lru-6'];
    const tokens: Record<string, string> = {};
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await startTestApp({ TENANT_MAX_DATASOURCES: '2', TENANT_POOL_MAX: '3' });
      owner = await verifiedOwner(t, 'lru@example.com');
      for (const slug of slugs) {
        ids[slug] = (await onboard(t, owner, slug)).id;
        tokens[slug] = await adminToken(t, owner, slug);
      }
    });
    afterAll(() => t?.close());

    it('serves 6 tenants under mixed concurrent traffic with never more than 2 live DataSources', async () => {
      const registry = t.app.get(TenantDataSourceRegistry);
      let maxLive = 0;
      const sampler = setInterval(() => (maxLive = Math.max(maxLive, registry.liveCount)), 1);
      const requests = Array.from({ length: 240 }, (_, i) => {
        const slug = slugs[(i * 7) % slugs.length];
        return t.http.get('/api/v1/users/me', { token: tokens[slug], headers: tenantHeaders(slug) });
      });
      const replies = await Promise.all(requests);
      clearInterval(sampler);
      expect(replies.filter((r) => r.status !== 200).map((r) => r.text)).toEqual([]);
      expect(maxLive).toBeLessThanOrEqual(2);
      expect(registry.liveCount).toBeLessThanOrEqual(2);
      expect(await metric(t, 'tenant_datasource_evictions_total')).toBeGreaterThan(0);
    });

    it('lets a slow transaction that spans its DataSource’s eviction finish', async () => {
      const registry = t.app.get(TenantDataSourceRegistry);
      const slow = registry.withDataSource({ id: ids['lru-1'] }, (ds) =>
        ds.transaction(async (m) => {
          await m.query('SELECT pg_sleep(1)');
          return (await m.query('SELECT count(*)::int AS n FROM users'))[0].n as number;
        }),
      );
      // Meanwhile other tenants push lru-1 out of the cache.
      await new Promise((r) => setTimeout(r, 100));
      for (const slug of ['lru-2', 'lru-3', 'lru-4', 'lru-5']) {
        const res = await t.http.get('/api/v1/users/me', {
          token: tokens[slug],
          headers: tenantHeaders(slug),
        });
        expect(res.status).toBe(200);
      }
      expect(registry.liveCount).toBeLessThanOrEqual(2);
      await expect(slow).resolves.toBe(1);
      // And lru-1 comes back on demand.
      const again = await t.http.get('/api/v1/users/me', {
        token: tokens['lru-1'],
        headers: tenantHeaders('lru-1'),
      });
      expect(again.status).toBe(200);
    });
  });

  it('refuses to start when the worst case exceeds the server’s connection budget', async () => {
    await expect(startTestApp({ TENANT_MAX_DATASOURCES: '1000', TENANT_POOL_MAX: '10' })).rejects.toThrow(
      /exceeds what the server allows/,
    );
  });
});
