import { Inject, Injectable } from '@nestjs/common';
import pg from 'pg';
import { ScramCachingClient } from '../database/scram-client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { tenantIdentity, tenantReaderPassword } from './tenant-identity.js';
import { TenantDatabaseBuilder } from './tenant-database.builder.js';
import { grantReaderAccess } from './tenant-roles.js';
import type { TenantLocation } from './catalog-entry.js';

export interface ReadResult {
  columns: string[];
  rows: unknown[][];
}

/**
 * One read-only statement in one tenant's database, for `tenants:run` (docs/scale-out.md). Read-only is
 * Postgres's doing, not a parser's: the statement runs as the tenant's reader role (SELECT grants only,
 * `default_transaction_read_only`), inside `BEGIN READ ONLY`, through the extended protocol (one statement,
 * so it cannot end the transaction first), and the transaction is rolled back whatever it did.
 */
@Injectable()
export class TenantReadQuery {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly builder: TenantDatabaseBuilder,
  ) {}

  async run(tenant: TenantLocation, sql: string, timeoutMs: number): Promise<ReadResult> {
    const id = tenantIdentity(tenant.id);
    const password = tenantReaderPassword(this.config.tenants.dbSecret, tenant.id);
    await this.builder.inside(tenant, (inside) => grantReaderAccess(inside, id, password));
    const url = new URL(await this.builder.adminUrl(tenant));
    url.username = id.readerRole;
    url.password = password;
    const client = new ScramCachingClient({
      connectionString: url.toString(),
      application_name: 'tenantry-run',
      statement_timeout: timeoutMs,
    });
    client.on('error', () => undefined); // a lost connection fails the query below
    await client.connect();
    try {
      await client.query('BEGIN READ ONLY');
      const result = await client.query({
        text: sql,
        rowMode: 'array',
        queryMode: 'extended',
      } as pg.QueryConfig);
      return { columns: result.fields.map((f) => f.name), rows: result.rows as unknown[][] };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
