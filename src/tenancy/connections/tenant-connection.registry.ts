import { SchedulerRegistry } from '@nestjs/schedule';
import {
  TENANCY_OPTIONS,
  type TenancyOptions,
  TENANCY_SETTINGS,
  type TenancySettings,
} from '../options/tenancy.options.js';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { ScramCachingClient } from '../../database/scram-client.js';
import { DataSource, EntityManager } from 'typeorm';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { computeConnectionBudget, type ConnectionBudget, readServerLimits } from './connection-budget.js';
import { isConnectionFailure } from '../../common/errors/infrastructure-errors.js';
import { errorCodeOf, SqlState } from '../../common/errors/postgres-errors.js';
import { TenancyMetrics } from '../options/tenancy.metrics.js';
import { tenantDatabaseUrl } from '../catalog/tenant-identity.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { PRIMARY_SERVER } from '../servers/database-server.entity.js';
import { DatabaseServers } from '../servers/database-servers.service.js';
import { LoginRoleRepair } from './login-role-repair.js';
import { BudgetedPool, type Lease, type PoolStats } from './budgeted-pool.js';
import { createSharedTenantDataSource, entityManagerOn } from './shared-tenant-datasource.js';

const REAPER = 'tenant-connection-reaper';

/**
 * Every tenant connection of this instance: one budgeted pool per database server (budgeted-pool.ts), keyed
 * by tenant id, each within that server's own budget, and one TypeORM DataSource whose entity metadata
 * serves every tenant (built once, holds no connection). A call borrows a connection of the tenant's own
 * database, on the server the catalog names, as the tenant's own role, and gets an EntityManager bound to
 * it for its duration (docs/reference/tenancy.md, docs/reference/scale-out.md).
 */
/** What a host observes of one tenant's connections (keys are tenant ids). */
export interface PoolObserver {
  opened?(tenantId: string, ms: number): void;
  waited?(tenantId: string, ms: number): void;
}

@Injectable()
export class TenantConnectionRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TenantConnectionRegistry.name);
  private readonly pools = new Map<string, BudgetedPool<pg.Client>>();
  private readonly opening = new Map<string, Promise<BudgetedPool<pg.Client>>>();
  private readonly budgets = new Map<string, ConnectionBudget>();
  private metadata?: DataSource;
  private closed = false;
  private readonly evictListeners: ((tenantId: string) => void)[] = [];
  private readonly repair: LoginRoleRepair;

  private readonly observers: PoolObserver[] = [];

  constructor(
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
    private readonly metrics: TenancyMetrics,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly scheduler: SchedulerRegistry,
    private readonly servers: DatabaseServers,
  ) {
    this.repair = new LoginRoleRepair(settings.dbSecret);
  }

  async onModuleInit(): Promise<void> {
    this.metadata = await createSharedTenantDataSource(this.serverUrl, this.options.tenantEntities);
    await this.openPool(PRIMARY_SERVER);
    this.metrics.observePool(() => this.stats(), this.budget.tenants);
    const every = Math.max(100, Math.min(this.settings.idleMs / 4, 5_000));
    const reaper = setInterval(() => {
      for (const pool of this.pools.values()) pool.reapIdle();
    }, every);
    reaper.unref();
    this.scheduler.addInterval(REAPER, reaper);
  }

  /** The budget in force (never exceeded) and what the server would allow. */
  get budget(): ConnectionBudget {
    const budget = this.budgets.get(PRIMARY_SERVER);
    if (!budget) throw new Error('tenant connection registry not initialised');
    return budget;
  }

  /** Each server's budget in force, for the servers this instance has connected to. */
  /** Per-tenant connection events (a host's per-tenant figures): a cold connect, a wait for a connection. */
  observe(observer: PoolObserver): void {
    this.observers.push(observer);
  }

  budgetsByServer(): ReadonlyMap<string, ConnectionBudget> {
    return this.budgets;
  }

  /** Every server's pool together (per server: `statsOf`). */
  stats(): PoolStats {
    const total: PoolStats = { open: 0, idle: 0, busy: 0, waiting: 0, keys: 0, peakOpen: 0 };
    for (const pool of this.pools.values()) {
      const s = pool.stats();
      for (const k of Object.keys(total) as (keyof PoolStats)[]) total[k] += s[k];
    }
    return total;
  }

  statsOf(server: string): PoolStats | undefined {
    return this.pools.get(server)?.stats();
  }

  /** Connections the tenant holds now (idle or in use), on whichever server. */
  held(tenantId: string): number {
    let n = 0;
    for (const pool of this.pools.values()) n += pool.held(tenantId);
    return n;
  }

  /**
   * Runs `fn` with a connection of the tenant's database and an EntityManager bound to it; the connection
   * is returned when `fn` settles (closed instead if it broke).
   */
  async withConnection<T>(
    tenant: TenantLocation,
    fn: (manager: EntityManager, client: pg.Client) => Promise<T>,
  ): Promise<T> {
    const lease = await this.acquire(tenant);
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
    tenant: TenantLocation,
    text: string,
    values: unknown[],
  ): Promise<R[]> {
    const lease = await this.acquire(tenant);
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

  /**
   * Closes the tenant's connections on every server: idle ones now, busy ones when released (it stopped
   * serving here, or moved). What holds the tenant open otherwise hears of it through `onEvict`.
   */
  evict(tenantId: string): void {
    for (const pool of this.pools.values()) pool.retire(tenantId);
    for (const listener of this.evictListeners) listener(tenantId);
  }

  onEvict(listener: (tenantId: string) => void): void {
    this.evictListeners.push(listener);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.scheduler.doesExist('interval', REAPER)) this.scheduler.deleteInterval(REAPER);
    await Promise.allSettled([...this.opening.values()]);
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }

  private acquire(tenant: TenantLocation): Promise<Lease<pg.Client>> {
    const pool = this.pools.get(tenant.server);
    if (pool) return pool.acquire(tenant.id);
    return this.openPool(tenant.server).then((p) => p.acquire(tenant.id));
  }

  /** The server's pool, made on first use with a budget read from that server's `max_connections`. */
  private openPool(server: string): Promise<BudgetedPool<pg.Client>> {
    const existing = this.opening.get(server);
    if (existing) return existing;
    const opening = this.makePool(server);
    this.opening.set(server, opening);
    // A server that could not be reached is tried again by the next request.
    opening.catch(() => this.opening.delete(server));
    return opening;
  }

  private async makePool(name: string): Promise<BudgetedPool<pg.Client>> {
    if (this.closed) throw new Error('tenant connection registry closed');
    const server = await this.servers.resolve(name);
    const t = this.settings;
    const limits = await readServerLimits(server.adminUrl);
    const legacyCap = t.maxDataSources ? t.maxDataSources * t.poolMax : undefined;
    const explicit = [t.connectionBudget, legacyCap].filter((n): n is number => !!n);
    const budget = computeConnectionBudget({
      ...limits,
      provisioningConcurrency: t.provisioningConcurrency,
      jobConcurrency: this.settings.hostConnections,
      explicit: explicit.length ? Math.min(...explicit) : undefined,
      hostsCore: name === PRIMARY_SERVER,
    });
    const pool = new BudgetedPool<pg.Client>(
      { open: (id) => this.openConnection(name, id), close: (c) => c.end() },
      {
        budget: budget.tenants,
        perKeyMax: t.poolMax,
        maxShare: t.maxShare,
        acquireTimeoutMs: t.acquireTimeoutMs,
        idleMs: t.idleMs,
      },
      {
        opened: (ms, key) => {
          this.metrics.connectSeconds.observe(ms / 1000);
          for (const o of this.observers) o.opened?.(key, ms);
        },
        openFailed: () => this.metrics.connectFailures.inc(),
        closed: (reason) => this.metrics.connectionsClosed.inc({ reason }),
        waited: (ms, key) => {
          this.metrics.acquireWaitSeconds.observe(ms / 1000);
          for (const o of this.observers) o.waited?.(key, ms);
        },
        timedOut: () => this.metrics.acquireTimeouts.inc(),
      },
    );
    this.budgets.set(name, budget);
    this.pools.set(name, pool);
    this.logger.log(
      { server: name, budget: budget.tenants, maxConnections: limits.maxConnections, perTenant: t.poolMax },
      'tenant connection budget',
    );
    return pool;
  }

  private async openConnection(server: string, tenantId: string, retry = true): Promise<pg.Client> {
    const { tenantUrl: base, adminUrl } = await this.servers.resolve(server);
    const client = new ScramCachingClient({
      connectionString: tenantDatabaseUrl(base, tenantId, this.settings.dbSecret),
      application_name: 'tenantry-tenant',
      connectionTimeoutMillis: Math.max(1000, this.settings.acquireTimeoutMs * 2),
    });
    // A connection that fails while idle (server restart, terminated backend) leaves the pool; one that
    // fails in use is closed when released.
    client.on('error', (err) => {
      this.logger.warn({ tenantId, err: err.message }, 'tenant connection lost');
      this.pools.get(server)?.markBroken(client);
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      if (
        retry &&
        errorCodeOf(err) === SqlState.INVALID_PASSWORD &&
        (await this.repair.repair(adminUrl, tenantId))
      )
        return this.openConnection(server, tenantId, false);
      throw asRefusal(err);
    }
    return client;
  }
}

/** SQLSTATEs a tenant's connect gets while its database is closed for a move or gone from the old server. */
const REFUSALS = new Set<string>([
  SqlState.INSUFFICIENT_PRIVILEGE,
  SqlState.INVALID_AUTHORIZATION,
  SqlState.INVALID_PASSWORD,
  SqlState.INVALID_CATALOG_NAME,
]);

/**
 * A refused connect is the database being unavailable for now (a move; the catalog's new entry is on its
 * way), not a bug: it becomes a rejected connection, which is answered 503 with Retry-After.
 */
function asRefusal(err: unknown): unknown {
  const code = errorCodeOf(err);
  if (!code || !REFUSALS.has(code)) return err;
  return Object.assign(new Error(`the tenant database refused the connection (${code})`), {
    code: SqlState.SERVER_REJECTED_CONNECTION,
  });
}
