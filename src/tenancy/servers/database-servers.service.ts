import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { LockClass, lockForTransaction } from '../../database/advisory-lock.js';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { withDatabase } from '../../database/postgres-identifiers.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { PRIMARY_SERVER, type ServerStatus } from './database-server.entity.js';
import { openServerUrl } from './server-secrets.js';
import { TENANCY_SETTINGS, type TenancySettings } from '../options/tenancy.options.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';

export const SERVERS_CHANNEL = 'tenantry_servers';
/** A server registered without a capacity is meant for this many tenants (docs/reference/scale-out.md). */
export const DEFAULT_SERVER_CAPACITY = 1000;

export interface ServerInfo {
  name: string;
  /** A superuser's URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  /** Where tenant connections go: the server's PgBouncer when it has one, else the server. */
  tenantUrl: string;
  status: ServerStatus;
  capacity: number | null;
}

interface ServerRow {
  name: string;
  adminUrl: string | null;
  poolerUrl: string | null;
  status: ServerStatus;
  capacity: number | null;
}

/**
 * The servers tenant databases live on, as every instance sees them: loaded from `database_servers` at
 * start and again whenever the table's trigger announces a change (or a name is not known yet). The
 * primary is the service's own `DATABASE_URL` server and is known without reading anything.
 */
@Injectable()
export class DatabaseServers implements OnModuleInit {
  private readonly logger = new Logger(DatabaseServers.name);
  private servers = new Map<string, ServerInfo>();

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    private readonly catalog: TenantCatalog,
  ) {
    this.servers.set(PRIMARY_SERVER, this.primary('active', null));
  }

  async onModuleInit(): Promise<void> {
    await this.catalog.listenTo(SERVERS_CHANNEL, () => void this.reload().catch(() => undefined));
    // The CLI may start before `migrate:core` made the table: the primary alone is known then.
    await this.reload().catch((err: Error) =>
      this.logger.debug({ err: err.message }, 'no server catalog yet'),
    );
  }

  /** The server named `name`, read from the catalog when this instance does not know it yet. */
  async resolve(name: string): Promise<ServerInfo> {
    const known = this.servers.get(name);
    if (known) return known;
    await this.reload();
    const loaded = this.servers.get(name);
    if (!loaded) throw new Error(`unknown database server ${name}`);
    return loaded;
  }

  /**
   * The active server with the most headroom (capacity minus its tenants), on the caller's transaction,
   * under a lock that serialises placements so concurrent onboardings see each other's choice.
   */
  async place(m: EntityManager): Promise<string> {
    await lockForTransaction(m, { lockClass: LockClass.placement });
    const rows: { name: string; capacity: number | null; tenants: number }[] = await m.query(
      `SELECT s.name, s.capacity, count(o.id)::int AS tenants
         FROM database_servers s LEFT JOIN organizations o ON o.server = s.name AND o.status <> 'failed'
        WHERE s.status = 'active' GROUP BY s.name, s.capacity ORDER BY s.name`,
    );
    let best: { name: string; headroom: number } | undefined;
    for (const row of rows) {
      const headroom = (row.capacity ?? DEFAULT_SERVER_CAPACITY) - row.tenants;
      if (!best || headroom > best.headroom) best = { name: row.name, headroom };
    }
    if (!best)
      throw new CommonError(
        CommonErrorCode.SERVICE_UNAVAILABLE,
        'No database server accepts new organizations.',
        {
          retryAfterSeconds: 60,
        },
      );
    return best.name;
  }

  private async reload(): Promise<void> {
    const rows: ServerRow[] = await this.core.query(
      `SELECT name, admin_url AS "adminUrl", pooler_url AS "poolerUrl", status, capacity FROM database_servers`,
    );
    const next = new Map<string, ServerInfo>();
    for (const row of rows) {
      if (row.name === PRIMARY_SERVER) {
        next.set(row.name, this.primary(row.status, row.capacity));
        continue;
      }
      if (!row.adminUrl) continue;
      const secret = this.settings.dbSecret;
      const admin = withDatabase(openServerUrl(secret, row.adminUrl), 'postgres');
      next.set(row.name, {
        name: row.name,
        adminUrl: admin,
        tenantUrl: row.poolerUrl ? openServerUrl(secret, row.poolerUrl) : admin,
        status: row.status,
        capacity: row.capacity,
      });
    }
    if (!next.has(PRIMARY_SERVER)) next.set(PRIMARY_SERVER, this.primary('active', null));
    this.servers = next;
  }

  private primary(status: ServerStatus, capacity: number | null): ServerInfo {
    const adminUrl = withDatabase(this.coreUrl, 'postgres');
    return {
      name: PRIMARY_SERVER,
      adminUrl,
      tenantUrl: this.settings.poolerUrl ?? adminUrl,
      status,
      capacity,
    };
  }
}
