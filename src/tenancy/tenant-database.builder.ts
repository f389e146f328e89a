import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { withDatabase } from '../database/postgres-identifiers.js';
import {
  createTenantDatabase,
  dropTenantDatabase,
  ensureLoginRole,
  ensureNologinRole,
} from './tenant-database.admin.js';
import { tenantIdentity, tenantRolePassword } from './tenant-identity.js';

/** Connections of the provisioner's admin pool (DDL on the maintenance database). */
export const ADMIN_POOL_MAX = 2;

/**
 * The Postgres side of building and removing one tenant: its login role, its database copied from the
 * template, an admin session inside it, and dropping both. Every statement is idempotent (names derive
 * from the tenant id), so the provisioner can resume any step after a crash.
 */
@Injectable()
export class TenantDatabaseBuilder implements OnApplicationShutdown {
  private readonly logger = new Logger(TenantDatabaseBuilder.name);
  private pool?: pg.Pool;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
  ) {}

  /** Owner and login roles and the database (from `template`); true when the database was created now. */
  async build(tenantId: string, template: string, afterRole: () => void = () => undefined): Promise<boolean> {
    const id = tenantIdentity(tenantId);
    const admin = await this.adminPool().connect();
    try {
      await ensureNologinRole(admin, id.ownerRole);
      await ensureLoginRole(admin, id.role, tenantRolePassword(this.config.tenants.dbSecret, tenantId));
      afterRole();
      return await createTenantDatabase(admin, id, template);
    } finally {
      admin.release();
    }
  }

  /** Runs `fn` on an admin connection inside the tenant's database. */
  async inside<T>(tenantId: string, fn: (inside: pg.Client) => Promise<T>): Promise<T> {
    const inside = new pg.Client({
      connectionString: withDatabase(this.serverUrl, tenantIdentity(tenantId).dbName),
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

  drop(tenantId: string): Promise<void> {
    return dropTenantDatabase(this.serverUrl, tenantIdentity(tenantId));
  }

  /** The last shutdown hook: nothing builds databases any more. */
  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  private adminPool(): pg.Pool {
    if (!this.pool) {
      this.pool = new pg.Pool({
        connectionString: withDatabase(this.serverUrl, 'postgres'),
        max: ADMIN_POOL_MAX,
        idleTimeoutMillis: 30_000,
        application_name: 'tenantry-provisioner',
      });
      // An idle connection ended by the server (restart, pg_terminate_backend) must not crash the process.
      this.pool.on('error', (err) => this.logger.warn({ err: err.message }, 'admin connection lost'));
    }
    return this.pool;
  }
}
