import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { hasSqlState, SqlState } from '../../common/errors/postgres-errors.js';
import { withDatabase } from '../../database/postgres-identifiers.js';
import { tenantIdentity } from '../catalog/tenant-identity.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { PRIMARY_SERVER, type ServerStatus } from '../servers/database-server.entity.js';
import { DatabaseServers, DEFAULT_SERVER_CAPACITY } from '../servers/database-servers.service.js';
import { redactUrl, sealServerUrl } from '../servers/server-secrets.js';
import { TENANCY_SETTINGS, type TenancySettings } from '../options/tenancy.options.js';

export interface NewServer {
  name: string;
  url: string;
  poolerUrl?: string;
  capacity?: number;
}

export interface ServerReport {
  name: string;
  /** Host and port only: credentials are never shown. */
  host: string;
  pooler: string | null;
  status: ServerStatus;
  capacity: number;
  tenants: number;
  /** Backends open on the server now; null when it did not answer. */
  connections: number | null;
  /** Bytes of its tenant databases; null when it did not answer. */
  bytes: number | null;
  /** Its Postgres version and `max_connections`; null when it did not answer. */
  version: string | null;
  maxConnections: number | null;
}

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** `servers:add`, `servers:list`, `servers:drain`'s first step (docs/reference/scale-out.md). */
@Injectable()
export class ServerAdmin {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    private readonly servers: DatabaseServers,
    private readonly builder: TenantDatabaseBuilder,
  ) {}

  /** Registers a server after checking that its URL reaches it as a role that can create databases and roles. */
  async add(server: NewServer): Promise<void> {
    if (!NAME.test(server.name)) throw new Error(`--name: lower-case letters, digits and -, at most 40`);
    if (server.capacity !== undefined && !(Number.isInteger(server.capacity) && server.capacity > 0))
      throw new Error('--capacity: a positive whole number of tenants');
    const admin = withDatabase(server.url, 'postgres');
    const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>(
        `SELECT rolsuper OR (rolcreatedb AND rolcreaterole) AS ok FROM pg_roles WHERE rolname = current_user`,
      );
      if (!rows[0]?.ok) throw new Error('its role must be a superuser, or may create databases and roles');
    } catch (err) {
      // The driver's message names host and user at most, never the password.
      throw new Error(`server ${server.name} (${redactUrl(admin)}) refused: ${(err as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    const secret = this.settings.dbSecret;
    try {
      await this.core.query(
        `INSERT INTO database_servers (name, admin_url, pooler_url, capacity) VALUES ($1, $2, $3, $4)`,
        [
          server.name,
          sealServerUrl(secret, admin),
          server.poolerUrl ? sealServerUrl(secret, server.poolerUrl) : null,
          server.capacity ?? null,
        ],
      );
    } catch (err) {
      if (hasSqlState(err, SqlState.UNIQUE_VIOLATION))
        throw new Error(`a server named ${server.name} exists`);
      throw err;
    }
  }

  /** Every tenant database's size in bytes, server by server (a server that does not answer is left out). */
  async tenantSizes(): Promise<{ tenantId: string; bytes: number }[]> {
    const rows: { server: string; ids: string[] }[] = await this.core.query(
      `SELECT server, array_agg(id) AS ids FROM organizations
        WHERE status NOT IN ('spare', 'failed', 'provisioning') GROUP BY server`,
    );
    const sizes = await Promise.all(
      rows.map((row) =>
        this.builder
          .onServer(row.server, async (admin) => {
            const byName = new Map(row.ids.map((id) => [tenantIdentity(id).dbName, id]));
            const { rows: r } = await admin.query<{ datname: string; bytes: string }>(
              `SELECT datname, pg_database_size(oid) AS bytes FROM pg_database WHERE datname = ANY($1)`,
              [[...byName.keys()]],
            );
            return r.map((x) => ({ tenantId: byName.get(x.datname)!, bytes: Number(x.bytes) }));
          })
          .catch(() => []),
      ),
    );
    return sizes.flat();
  }

  async list(): Promise<ServerReport[]> {
    const rows: {
      name: string;
      status: ServerStatus;
      capacity: number | null;
      tenants: number;
      ids: string[];
    }[] = await this.core.query(
      `SELECT s.name, s.status, s.capacity, count(o.id)::int AS tenants,
                coalesce(array_agg(o.id) FILTER (WHERE o.id IS NOT NULL), '{}') AS ids
           FROM database_servers s LEFT JOIN organizations o ON o.server = s.name AND o.status <> 'failed'
          GROUP BY s.name ORDER BY s.name <> '${PRIMARY_SERVER}', s.name`,
    );
    return Promise.all(
      rows.map(async (row) => {
        const info = await this.servers.resolve(row.name);
        const usage = await this.builder
          .onServer(row.name, async (admin) => {
            const { rows: r } = await admin.query<{
              connections: number;
              bytes: string;
              version: string;
              max_connections: number;
            }>(
              `SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
                      (SELECT coalesce(sum(pg_database_size(datname)), 0) FROM pg_database
                        WHERE datname = ANY($1)) AS bytes,
                      current_setting('server_version') AS version,
                      current_setting('max_connections')::int AS max_connections`,
              [row.ids.map((id) => tenantIdentity(id).dbName)],
            );
            return {
              connections: r[0].connections,
              bytes: Number(r[0].bytes),
              version: r[0].version,
              maxConnections: r[0].max_connections,
            };
          })
          .catch(() => ({ connections: null, bytes: null, version: null, maxConnections: null }));
        return {
          name: row.name,
          host: redactUrl(info.adminUrl),
          pooler: info.tenantUrl === info.adminUrl ? null : redactUrl(info.tenantUrl),
          status: row.status,
          capacity: row.capacity ?? DEFAULT_SERVER_CAPACITY,
          tenants: row.tenants,
          ...usage,
        };
      }),
    );
  }

  /** No new tenant is placed on it from now on; false when there is no such server. */
  async drain(name: string): Promise<boolean> {
    const [, count]: [unknown, number] = await this.core.query(
      `UPDATE database_servers SET status = 'draining' WHERE name = $1`,
      [name],
    );
    return count > 0;
  }
}
