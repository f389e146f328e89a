import { SchedulerRegistry } from '@nestjs/schedule';
import { TENANCY_OPTIONS, type TenancyOptions } from '../tenancy.options.js';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { computeConnectionBudget, type ConnectionBudget, readServerLimits } from '../connection-budget.js';
import { isConnectionFailure } from '../../common/errors/infrastructure-errors.js';
import { TenancyMetrics } from '../tenancy.metrics.js';
import { tenantDatabaseUrl } from '../tenant-identity.js';
import { BudgetedPool, type Lease, type PoolStats } from './budgeted-pool.js';
import { createSharedTenantDataSource, entityManagerOn } from './shared-tenant-datasource.js';

const REAPER = 'tenant-connection-reaper';

/**
 * Every tenant connection of this instance: one budgeted pool keyed by tenant id (budgeted-pool.ts), and
 * one TypeORM DataSource whose entity metadata serves every tenant (built once, holds no connection).
 * A call borrows a connection of the tenant's own database, as the tenant's own role, and gets an
 * EntityManager bound to it for its duration (docs/tenancy.md).
 */
@Injectable()
export class TenantConnectionRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TenantConnectionRegistry.name);
  private pool?: BudgetedPool<pg.Client>;
  private metadata?: DataSource;
  private budgetInfo?: ConnectionBudget;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
    private readonly metrics: TenancyMetrics,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const t = this.config.tenants;
    const limits = await readServerLimits(this.serverUrl);
    const legacyCap = t.maxDataSources ? t.maxDataSources * t.poolMax : undefined;
    const explicit = [t.connectionBudget, legacyCap].filter((n): n is number => !!n);
    this.budgetInfo = computeConnectionBudget({
      ...limits,
      provisioningConcurrency: t.provisioningConcurrency,
      jobConcurrency: this.config.jobs.concurrency,
      explicit: explicit.length ? Math.min(...explicit) : undefined,
    });
    this.metadata = await createSharedTenantDataSource(this.serverUrl, this.options.tenantEntities);
    this.pool = new BudgetedPool<pg.Client>(
      { open: (id) => this.openConnection(id), close: (c) => c.end() },
      {
        budget: this.budgetInfo.tenants,
        perKeyMax: t.poolMax,
        acquireTimeoutMs: t.acquireTimeoutMs,
        idleMs: t.idleMs,
      },
      {
        opened: (ms) => this.metrics.connectSeconds.observe(ms / 1000),
        openFailed: () => this.metrics.connectFailures.inc(),
        closed: (reason) => this.metrics.connectionsClosed.inc({ reason }),
        waited: (ms) => this.metrics.acquireWaitSeconds.observe(ms / 1000),
        timedOut: () => this.metrics.acquireTimeouts.inc(),
      },
    );
    this.metrics.observePool(() => this.stats(), this.budgetInfo.tenants);
    const every = Math.max(100, Math.min(t.idleMs / 4, 5_000));
    const reaper = setInterval(() => this.pool?.reapIdle(), every);
    reaper.unref();
    this.scheduler.addInterval(REAPER, reaper);
    this.logger.log(
      { budget: this.budgetInfo.tenants, maxConnections: limits.maxConnections, perTenant: t.poolMax },
      'tenant connection budget',
    );
  }

  /** The budget in force (never exceeded) and what the server would allow. */
  get budget(): ConnectionBudget {
    if (!this.budgetInfo) throw new Error('tenant connection registry not initialised');
    return this.budgetInfo;
  }

  stats(): PoolStats {
    return this.pool?.stats() ?? { open: 0, idle: 0, busy: 0, waiting: 0, keys: 0, peakOpen: 0 };
  }

  /** Connections the tenant holds now (idle or in use). */
  held(tenantId: string): number {
    return this.pool?.held(tenantId) ?? 0;
  }

  /**
   * Runs `fn` with a connection of the tenant's database and an EntityManager bound to it; the connection
   * is returned when `fn` settles (closed instead if it broke).
   */
  async withConnection<T>(
    tenant: { id: string },
    fn: (manager: EntityManager, client: pg.Client) => Promise<T>,
  ): Promise<T> {
    const lease = await this.acquire(tenant.id);
    const { manager, done } = entityManagerOn(this.metadata!, lease.conn);
    let broken = false;
    try {
      return await fn(manager, lease.conn);
    } catch (err) {
      broken = isConnectionFailure(err);
      throw err;
    } finally {
      await done();
      lease.release(broken);
    }
  }

  /** The tenant entities' EntityManager on a connection the caller holds (an admin session: migrations). */
  async withManagerOn<T>(client: pg.Client, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { manager, done } = entityManagerOn(this.metadata!, client);
    try {
      return await fn(manager);
    } finally {
      await done();
    }
  }

  /** Raw access for the hottest paths (one statement, no EntityManager). */
  async query<R extends pg.QueryResultRow>(
    tenant: { id: string },
    text: string,
    values: unknown[],
  ): Promise<R[]> {
    const lease = await this.acquire(tenant.id);
    let broken = false;
    try {
      return (await lease.conn.query<R>(text, values)).rows;
    } catch (err) {
      broken = isConnectionFailure(err);
      throw err;
    } finally {
      lease.release(broken);
    }
  }

  /** Closes the tenant's connections: idle ones now, busy ones when released (catalog change). */
  evict(tenantId: string): void {
    this.pool?.retire(tenantId);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', REAPER)) this.scheduler.deleteInterval(REAPER);
    await this.pool?.close();
  }

  private acquire(tenantId: string): Promise<Lease<pg.Client>> {
    if (!this.pool) throw new Error('tenant connection registry not initialised');
    return this.pool.acquire(tenantId);
  }

  private async openConnection(tenantId: string): Promise<pg.Client> {
    const base = this.config.tenants.poolerUrl ?? this.serverUrl;
    const client = new pg.Client({
      connectionString: tenantDatabaseUrl(base, tenantId, this.config.tenants.dbSecret),
      application_name: 'tenantry-tenant',
      connectionTimeoutMillis: Math.max(1000, this.config.tenants.acquireTimeoutMs * 2),
    });
    // A connection that fails while idle (server restart, terminated backend) leaves the pool; one that
    // fails in use is closed when released.
    client.on('error', (err) => {
      this.logger.warn({ tenantId, err: err.message }, 'tenant connection lost');
      this.pool?.markBroken(client);
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }
}
