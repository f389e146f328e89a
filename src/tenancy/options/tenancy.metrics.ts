import { Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The figures of a connection pool the gauges read (the budgeted pool's stats have this shape). */
export interface PoolStats {
  open: number;
  idle: number;
  busy: number;
  waiting: number;
  keys: number;
  peakOpen: number;
}

const EMPTY: PoolStats = { open: 0, idle: 0, busy: 0, waiting: 0, keys: 0, peakOpen: 0 };

/** The engine's Prometheus metrics (docs/reference/tenancy.md says what each one tells an operator). */
@Injectable()
export class TenancyMetrics {
  readonly connectSeconds: Histogram;
  readonly connectFailures: Counter;
  readonly connectionsClosed: Counter<'reason'>;
  readonly acquireWaitSeconds: Histogram;
  readonly acquireTimeouts: Counter;
  readonly onboardingSeconds: Histogram;
  readonly onboardingRejected: Counter;
  readonly catalogLookups: Counter<'result'>;
  private pool: () => PoolStats = () => EMPTY;
  private budget = 0;

  /** Registered in the host's prom-client Registry when it provides one; else in a registry of its own. */
  constructor(@Optional() registry?: Registry) {
    const registers = [registry ?? new Registry()];
    this.connectSeconds = new Histogram({
      name: 'tenant_connection_open_seconds',
      help: 'Time to open a tenant database connection (TCP, auth, backend start)',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.connectFailures = new Counter({
      name: 'tenant_connection_open_failures_total',
      help: 'Tenant connections that could not be opened',
      registers,
    });
    this.connectionsClosed = new Counter({
      name: 'tenant_connections_closed_total',
      help: 'Tenant connections closed, by reason (idle, reclaimed, retired, broken, shutdown)',
      labelNames: ['reason'],
      registers,
    });
    this.acquireWaitSeconds = new Histogram({
      name: 'tenant_connection_wait_seconds',
      help: 'Time requests waited in the queue for a tenant connection',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.acquireTimeouts = new Counter({
      name: 'tenant_connection_timeouts_total',
      help: 'Requests that got no tenant connection in time (answered 503)',
      registers,
    });
    this.onboardingSeconds = new Histogram({
      name: 'tenant_onboarding_seconds',
      help: 'Time to onboard an organization (database, role, migrations, seed)',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.onboardingRejected = new Counter({
      name: 'tenant_onboarding_rejected_total',
      help: 'Onboardings refused with 503 because the provisioning queue was full',
      registers,
    });
    this.catalogLookups = new Counter({
      name: 'tenant_catalog_lookups_total',
      help: 'Tenant catalog lookups, by result (cached, loaded)',
      labelNames: ['result'],
      registers,
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('tenant_connection_budget', 'Tenant connections this instance may hold at once', () => this.budget);
    gauge(
      'tenant_connections_open',
      'Tenant connections open (idle, in use, opening)',
      () => this.pool().open,
    );
    gauge('tenant_connections_in_use', 'Tenant connections lent to requests', () => this.pool().busy);
    gauge('tenant_connections_idle', 'Idle tenant connections', () => this.pool().idle);
    gauge('tenant_connections_peak', 'Most tenant connections open at once', () => this.pool().peakOpen);
    gauge(
      'tenant_connection_waiting_requests',
      'Requests queued for a connection',
      () => this.pool().waiting,
    );
    gauge('tenant_pools_live', 'Tenants holding connections or waiting for one', () => this.pool().keys);
  }

  observePool(source: () => PoolStats, budget: number): void {
    this.pool = source;
    this.budget = budget;
  }
}
