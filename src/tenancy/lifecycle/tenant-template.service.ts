import { holdingAdvisoryLock, LockClass } from '../../database/advisory-lock.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { ScramCachingClient } from '../../database/scram-client.js';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../database/datasource-options.js';
import { runMigrationsLocked } from '../../database/migration-lock.js';
import { databaseExists, withAdminClient } from '../../database/postgres-admin.js';
import { quoteIdentifier, withDatabase } from '../../database/postgres-identifiers.js';
import { ensureNologinRole, TEMPLATE_OWNER_ROLE } from '../databases/tenant-database.admin.js';
import { type MigrationClass, migrationName, TENANT_MIGRATION_SET } from '../options/tenant-migrations.js';
import { DatabaseServers } from '../servers/database-servers.service.js';

const TEMPLATE_PREFIX = 'tenantry_template_';

/** A template database and the schema version (latest migration) it holds. */
export interface TenantTemplate {
  name: string;
  version: string | null;
}

export function templateName(migrations: MigrationClass[]): string {
  const digest = createHash('sha256').update(migrations.map(migrationName).join(',')).digest('hex');
  return `${TEMPLATE_PREFIX}${digest.slice(0, 16)}`;
}

/**
 * The template database that `CREATE DATABASE … TEMPLATE` copies for fast onboarding: migrated to the latest
 * tenant migration, named after the migration set (a new migration means a new template, and older ones are
 * dropped), marked `IS_TEMPLATE` and closed to connections so nothing can stay connected to it. Each
 * server has its own, built on its first onboarding.
 */
@Injectable()
export class TenantTemplateService {
  private readonly logger = new Logger(TenantTemplateService.name);
  private readonly ready = new Map<string, Promise<TenantTemplate>>();
  constructor(
    private readonly servers: DatabaseServers,
    @Inject(TENANT_MIGRATION_SET) private readonly migrations: MigrationClass[],
  ) {}

  /** The current template's name on `server`, built first when missing. */
  ensure(server: string): Promise<TenantTemplate> {
    let ready = this.ready.get(server);
    if (!ready) {
      ready = this.build(server).catch((err) => {
        this.ready.delete(server);
        throw err;
      });
      this.ready.set(server, ready);
    }
    return ready;
  }

  private async build(server: string): Promise<TenantTemplate> {
    const name = templateName(this.migrations);
    const serverUrl = (await this.servers.resolve(server)).adminUrl;
    await withAdminClient(serverUrl, async (client) => {
      await holdingAdvisoryLock(client, { lockClass: LockClass.template }, async () => {
        const { rows } = await client.query('SELECT datistemplate FROM pg_database WHERE datname = $1', [
          name,
        ]);
        if (rows[0]?.datistemplate) return;
        const started = Date.now();
        await ensureNologinRole(client, TEMPLATE_OWNER_ROLE);
        // A half-built template (crash mid-build) is rebuilt from scratch.
        if (await databaseExists(client, name))
          await client.query(`DROP DATABASE ${quoteIdentifier(name)} WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
        await this.migrate(serverUrl, name);
        await client.query(
          `ALTER DATABASE ${quoteIdentifier(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
        );
        this.logger.log({ server, template: name, ms: Date.now() - started }, 'tenant template built');
        await this.dropStale(client, name);
      });
    });
    const last = this.migrations[this.migrations.length - 1];
    return { name, version: last ? migrationName(last) : null };
  }

  /** Migrates the template as the template owner, so that its objects can be reassigned to each tenant. */
  private async migrate(serverUrl: string, name: string): Promise<void> {
    const inside = withDatabase(serverUrl, name);
    // The template owner needs CREATE on the public schema (Postgres 15 gives it to the database owner only).
    const grant = new ScramCachingClient({ connectionString: inside });
    await grant.connect();
    await grant.query(`GRANT CREATE ON SCHEMA public TO ${quoteIdentifier(TEMPLATE_OWNER_ROLE)}`);
    await grant.end();
    const options = buildDataSourceOptions({
      applicationName: 'tenantry-template',
      url: inside,
      poolMax: 1,
      migrations: this.migrations,
    });
    const ds = new DataSource({
      ...options,
      extra: { ...options.extra, options: `-c role=${TEMPLATE_OWNER_ROLE}` },
    });
    await ds.initialize();
    try {
      await runMigrationsLocked(ds);
    } finally {
      await ds.destroy();
    }
  }

  private async dropStale(client: pg.Client, keep: string): Promise<void> {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2',
      [`${TEMPLATE_PREFIX}%`, keep],
    );
    for (const { datname } of rows) {
      await client.query(`ALTER DATABASE ${quoteIdentifier(datname)} WITH IS_TEMPLATE false`);
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`);
    }
  }
}
