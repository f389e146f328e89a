import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface PoolStats {
  inUse: number;
  idle: number;
  waiting: number;
}

/** The engine's Prometheus metrics (see docs/tenancy.md for what each one tells an operator). */
@Injectable()
export class TenancyMetrics {
  readonly live: Gauge;
  readonly retired: Gauge;
  readonly hits: Counter;
  readonly misses: Counter;
  readonly evictions: Counter<'reason'>;
  readonly initSeconds: Histogram;
  readonly onboardingSeconds: Histogram;
  readonly catalogLookups: Counter<'result'>;
  private poolStats: () => PoolStats = () => ({ inUse: 0, idle: 0, waiting: 0 });

  constructor(registry: Registry) {
    const registers = [registry];
    this.live = new Gauge({
      name: 'tenant_datasources_live',
      help: 'Tenant DataSources in the cache',
      registers,
    });
    this.retired = new Gauge({
      name: 'tenant_datasources_retired',
      help: 'Evicted tenant DataSources still serving requests',
      registers,
    });
    this.hits = new Counter({ name: 'tenant_datasource_cache_hits_total', help: 'Cache hits', registers });
    this.misses = new Counter({
      name: 'tenant_datasource_cache_misses_total',
      help: 'Cache misses',
      registers,
    });
    this.evictions = new Counter({
      name: 'tenant_datasource_evictions_total',
      help: 'DataSources evicted, by reason (lru, idle, catalog)',
      labelNames: ['reason'],
      registers,
    });
    this.initSeconds = new Histogram({
      name: 'tenant_datasource_init_seconds',
      help: 'Time to initialise a tenant DataSource',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.onboardingSeconds = new Histogram({
      name: 'tenant_onboarding_seconds',
      help: 'Time to onboard an organization (database, role, migrations, seed)',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.catalogLookups = new Counter({
      name: 'tenant_catalog_lookups_total',
      help: 'Tenant catalog lookups, by result (cached, loaded)',
      labelNames: ['result'],
      registers,
    });
    const stats = () => this.poolStats();
    new Gauge({
      name: 'tenant_pool_connections_in_use',
      help: 'Connections checked out of tenant pools',
      registers,
      collect() {
        this.set(stats().inUse);
      },
    });
    new Gauge({
      name: 'tenant_pool_connections_idle',
      help: 'Idle connections in tenant pools',
      registers,
      collect() {
        this.set(stats().idle);
      },
    });
    new Gauge({
      name: 'tenant_pool_waiting_requests',
      help: 'Queries waiting for a tenant pool connection',
      registers,
      collect() {
        this.set(stats().waiting);
      },
    });
  }

  observePools(source: () => PoolStats): void {
    this.poolStats = source;
  }
}
