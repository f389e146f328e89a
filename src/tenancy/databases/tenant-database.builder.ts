import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { ScramCachingClient } from '../../database/scram-client.js';
import { withDatabase } from '../../database/postgres-identifiers.js';
import {
  createTenantDatabase,
  dropTenantDatabase,
  ensureLoginRole,
  ensureNologinRole,
} from './tenant-database.admin.js';
import { tenantIdentity, tenantRolePassword } from '../catalog/tenant-identity.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { DatabaseServers } from '../servers/database-servers.service.js';
import { TENANCY_SETTINGS, type TenancySettings } from '../options/tenancy.options.js';

/** Connections of the provisioner's admin pool (DDL on the maintenance database). */
export const ADMIN_POOL_MAX = 2;

/**
 * The Postgres side of building and removing one tenant, on the server it is placed on: its login role,
 * its database copied from the template, an admin session inside it, and dropping both. Every statement is
 * idempotent (names derive from the tenant id), so the provisioner can resume any step after a crash.
 */
@Injectable()
export class TenantDatabaseBuilder implements OnApplicationShutdown {
  private readonly logger = new Logger(TenantDatabaseBuilder.name);
  private readonly pools = new Map<string, pg.Pool>();

  constructor(
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    private readonly servers: DatabaseServers,
  ) {}

  /** Owner and login roles and the database (from `template`); true when the database was created now. */
  async build(
    tenant: TenantLocation,
    template: string,
    afterRole: () => void = () => undefined,
  ): Promise<boolean> {
    const tenantId = tenant.id;
    const id = tenantIdentity(tenantId);
    const admin = await (await this.adminPool(tenant.server)).connect();
    try {
      await ensureNologinRole(admin, id.ownerRole);
      await ensureLoginRole(admin, id.role, tenantRolePassword(this.settings.dbSecret, tenantId));
      afterRole();
      return await createTenantDatabase(admin, id, template);
    } finally {
      admin.release();
    }
  }

  /** Runs `fn` on an admin connection inside the tenant's database. */
  async inside<T>(tenant: TenantLocation, fn: (inside: pg.Client) => Promise<T>): Promise<T> {
    return this.insideUrl(await this.adminUrl(tenant), tenant.id, fn);
  }

  /** Runs `fn` on an admin connection to `url` (a tenant's database, wherever it is; `tenantId` for logs). */
  async insideUrl<T>(url: string, tenantId: string, fn: (inside: pg.Client) => Promise<T>): Promise<T> {
    const inside = new ScramCachingClient({
      connectionString: url,
      application_name: 'tenantry-provisioner',
    });
    inside.on('error', (err) =>
      this.logger.warn({ tenantId, err: err.message }, 'tenant admin connection lost'),
    );
    await inside.connect();
    try {
      return await fn(inside);
    } finally {
      await inside.end();
    }
  }

  /** Runs `fn` on an admin connection of the server's maintenance database. */
  async onServer<T>(server: string, fn: (admin: pg.PoolClient) => Promise<T>): Promise<T> {
    const admin = await (await this.adminPool(server)).connect();
    try {
      return await fn(admin);
    } finally {
      admin.release();
    }
  }

  async drop(tenant: TenantLocation): Promise<void> {
    const server = await this.servers.resolve(tenant.server);
    return dropTenantDatabase(server.adminUrl, tenantIdentity(tenant.id));
  }

  /** A superuser's URL of the tenant's own database on its server (pg_dump, pg_restore, admin sessions). */
  async adminUrl(tenant: TenantLocation): Promise<string> {
    const server = await this.servers.resolve(tenant.server);
    return withDatabase(server.adminUrl, tenantIdentity(tenant.id).dbName);
  }

  /** The last shutdown hook: nothing builds databases any more. */
  async onApplicationShutdown(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.end()));
  }

  private async adminPool(name: string): Promise<pg.Pool> {
    const existing = this.pools.get(name);
    if (existing) return existing;
    const server = await this.servers.resolve(name);
    let pool = this.pools.get(name);
    if (!pool) {
      pool = new pg.Pool({
        connectionString: server.adminUrl,
        Client: ScramCachingClient,
        max: ADMIN_POOL_MAX,
        idleTimeoutMillis: 30_000,
        application_name: 'tenantry-provisioner',
      });
      // An idle connection ended by the server (restart, pg_terminate_backend) must not crash the process.
      pool.on('error', (err) =>
        this.logger.warn({ server: name, err: err.message }, 'admin connection lost'),
      );
      this.pools.set(name, pool);
    }
    return pool;
  }
}
