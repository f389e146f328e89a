import { Registry } from 'prom-client';
import { TopTenantMetrics } from './top-tenant-metrics.js';

describe('TopTenantMetrics', () => {
  it('exposes the busiest tenants by name and the rest as one "other" series', async () => {
    const registry = new Registry();
    const metrics = new TopTenantMetrics(registry, 2);
    const traffic: [string, number, number][] = [
      ['busy', 50, 200],
      ['busy', 5, 500],
      ['steady', 30, 200],
      ['quiet-a', 3, 200],
      ['quiet-b', 2, 404],
    ];
    for (const [slug, n, status] of traffic) for (let i = 0; i < n; i++) metrics.count(slug, status);
    const text = await registry.metrics();
    expect(text).toContain('tenant_requests_total{tenant="busy"} 55');
    expect(text).toContain('tenant_requests_total{tenant="steady"} 30');
    expect(text).toContain('tenant_requests_total{tenant="other"} 5');
    expect(text).toContain('tenant_request_errors_total{tenant="busy"} 5');
    expect(text).toContain('tenant_request_errors_total{tenant="other"} 2');
    expect(text).not.toMatch(/tenant="quiet-/);
  });

  it('keeps no series when turned off (0)', async () => {
    const registry = new Registry();
    const metrics = new TopTenantMetrics(registry, 0);
    metrics.count('busy', 200);
    expect(await registry.metrics()).not.toContain('tenant_requests_total');
  });
});
