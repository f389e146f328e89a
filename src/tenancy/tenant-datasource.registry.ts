import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { buildDataSourceOptions } from '../database/datasource-options.js';
import { TenancyMetrics } from './tenancy.metrics.js';
import { tenantDatabaseUrl } from './tenant-identity.js';

interface Entry {
  tenantId: string;
  /** Single flight: concurrent first requests await the same initialisation. */
  ready: Promise<DataSource>;
  dataSource?: DataSource;
  /** Operations currently holding this DataSource. */
  refs: number;
  lastUsed: number;
  retired: boolean;
}

export interface Lease {
  dataSource: DataSource;
  release(): void;
}

export type EvictionReason = 'lru' | 'idle' | 'catalog' | 'shutdown';

/**
 * One TypeORM DataSource per tenant database, connected as that tenant's own role.
 *
 * - single-flight: the initialisation promise is cached, not the DataSource; a failed one is forgotten;
 * - bounded: at most `TENANT_MAX_DATASOURCES` in the cache (LRU), each pool at most `TENANT_POOL_MAX`;
 * - idle ones are closed after `TENANT_IDLE_MS`;
 * - safe eviction: an evicted DataSource that operations still hold is retired, and destroyed by the last
 *   release, never under a running query.
 */
@Injectable()
export class TenantDataSourceRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(TenantDataSourceRegistry.name);
  /** Map order is recency order: a hit moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private readonly retired = new Set<Entry>();
  private readonly reaper: NodeJS.Timeout;
  private shuttingDown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
    private readonly metrics: TenancyMetrics,
  ) {
    const every = Math.max(250, Math.min(config.tenants.idleMs / 2, 30_000));
    this.reaper = setInterval(() => this.reapIdle(), every);
    this.reaper.unref();
    metrics.observePools(() => this.poolStats());
  }

  get liveCount(): number {
    return this.entries.size;
  }

  /** Runs `fn` with the tenant's DataSource held for its whole duration. */
  async withDataSource<T>(tenant: { id: string }, fn: (ds: DataSource) => Promise<T>): Promise<T> {
    const lease = await this.acquire(tenant);
    try {
      return await fn(lease.dataSource);
    } finally {
      lease.release();
    }
  }

  async acquire(tenant: { id: string }): Promise<Lease> {
    if (this.shuttingDown) throw new Error('tenant registry is shutting down');
    let entry = this.entries.get(tenant.id);
    if (entry) {
      this.metrics.hits.inc();
      this.entries.delete(tenant.id);
      this.entries.set(tenant.id, entry);
    } else {
      this.metrics.misses.inc();
      entry = this.create(tenant.id);
      this.entries.set(tenant.id, entry);
      this.makeRoom(entry);
      this.updateGauges();
    }
    const held = entry;
    held.refs++;
    held.lastUsed = Date.now();
    let dataSource: DataSource;
    try {
      dataSource = await held.ready;
    } catch (err) {
      this.release(held);
      throw err;
    }
    let released = false;
    return {
      dataSource,
      release: () => {
        if (released) return;
        released = true;
        this.release(held);
      },
    };
  }

  /** Drops a tenant's DataSource (its catalog row changed: suspended, deleted, moved). */
  evict(tenantId: string, reason: EvictionReason = 'catalog'): void {
    const entry = this.entries.get(tenantId);
    if (entry) this.retire(entry, reason);
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.reaper);
    const all = [...this.entries.values(), ...this.retired];
    this.entries.clear();
    this.retired.clear();
    this.updateGauges();
    await Promise.all(all.map((e) => this.destroy(e)));
  }

  private create(tenantId: string): Entry {
    const started = process.hrtime.bigint();
    const dataSource = new DataSource(
      buildDataSourceOptions('tenant', {
        url: tenantDatabaseUrl(this.serverUrl, tenantId, this.config.tenants.dbSecret),
        poolMax: this.config.tenants.poolMax,
        idleMs: Math.min(this.config.tenants.idleMs, 60_000),
        applicationName: 'tenantry-tenant',
      }),
    );
    const entry: Entry = {
      tenantId,
      refs: 0,
      lastUsed: Date.now(),
      retired: false,
      ready: undefined as never,
    };
    entry.ready = dataSource.initialize().then(
      (ds) => {
        entry.dataSource = ds;
        this.metrics.initSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
        return ds;
      },
      (err: Error) => {
        // A failed initialisation is not cached: the next request tries again.
        if (this.entries.get(tenantId) === entry) this.entries.delete(tenantId);
        this.updateGauges();
        this.logger.warn({ tenantId, err: err.message }, 'tenant DataSource failed to initialise');
        throw err;
      },
    );
    return entry;
  }

  /** Keeps the cache within its bound: the least recently used idle entry goes first, else the oldest. */
  private makeRoom(keep: Entry): void {
    while (this.entries.size > this.config.tenants.maxDataSources) {
      const candidates = [...this.entries.values()].filter((e) => e !== keep);
      const victim = candidates.find((e) => e.refs === 0) ?? candidates[0];
      if (!victim) return;
      this.retire(victim, 'lru');
    }
  }

  private retire(entry: Entry, reason: EvictionReason): void {
    if (this.entries.get(entry.tenantId) === entry) this.entries.delete(entry.tenantId);
    if (entry.retired) return;
    entry.retired = true;
    this.metrics.evictions.inc({ reason });
    if (entry.refs === 0) void this.destroy(entry);
    else this.retired.add(entry);
    this.updateGauges();
  }

  private release(entry: Entry): void {
    entry.refs--;
    entry.lastUsed = Date.now();
    if (entry.retired && entry.refs === 0) {
      this.retired.delete(entry);
      this.updateGauges();
      void this.destroy(entry);
    }
  }

  private reapIdle(): void {
    const cutoff = Date.now() - this.config.tenants.idleMs;
    for (const entry of [...this.entries.values()]) {
      if (entry.refs === 0 && entry.lastUsed < cutoff && entry.dataSource) this.retire(entry, 'idle');
    }
  }

  private async destroy(entry: Entry): Promise<void> {
    const ds = await entry.ready.catch(() => undefined);
    if (ds?.isInitialized)
      await ds.destroy().catch((err) => this.logger.warn({ err: err.message }, 'destroy failed'));
  }

  private updateGauges(): void {
    this.metrics.live.set(this.entries.size);
    this.metrics.retired.set(this.retired.size);
  }

  private poolStats() {
    const stats = { inUse: 0, idle: 0, waiting: 0 };
    for (const entry of [...this.entries.values(), ...this.retired]) {
      const pool = (
        entry.dataSource?.driver as {
          master?: { totalCount: number; idleCount: number; waitingCount: number };
        }
      )?.master;
      if (!pool) continue;
      stats.inUse += pool.totalCount - pool.idleCount;
      stats.idle += pool.idleCount;
      stats.waiting += pool.waitingCount;
    }
    return stats;
  }
}
