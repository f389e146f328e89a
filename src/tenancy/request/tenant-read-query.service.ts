import { Inject, Injectable } from '@nestjs/common';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { ScramCachingClient } from '../../database/scram-client.js';
import { tenantIdentity, tenantReaderPassword } from '../catalog/tenant-identity.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { grantReaderAccess } from '../databases/tenant-roles.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { TENANCY_SETTINGS, type TenancySettings } from '../options/tenancy.options.js';

export interface ReadResult {
  columns: string[];
  rows: unknown[][];
}

/** What one tenant's statement gave: its rows (handed over in batches as they arrive) were cut at the cap. */
export interface ReadSummary {
  rows: number;
  truncated: boolean;
}

/** Rows read from the server at a time: the output streams, and memory stays bounded by the cap. */
const BATCH_ROWS = 500;

/**
 * One read-only statement in one tenant's database, for `tenants:run` (docs/reference/scale-out.md). Read-only is
 * Postgres's doing, not a parser's: the statement runs as the tenant's reader role (SELECT grants only,
 * `default_transaction_read_only`), inside `BEGIN READ ONLY`, through the extended protocol (one statement,
 * so it cannot end the transaction first), and the transaction is rolled back whatever it did. Rows are read
 * through a cursor in batches and handed on as they come; at `maxRows` the cursor is closed.
 */
@Injectable()
export class TenantReadQuery {
  constructor(
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    private readonly builder: TenantDatabaseBuilder,
  ) {}

  async run(
    tenant: TenantLocation,
    sql: string,
    options: { timeoutMs: number; maxRows: number; onRows: (batch: ReadResult) => void },
  ): Promise<ReadSummary> {
    const id = tenantIdentity(tenant.id);
    const password = tenantReaderPassword(this.settings.dbSecret, tenant.id);
    await this.builder.inside(tenant, (inside) => grantReaderAccess(inside, id, password));
    const url = new URL(await this.builder.adminUrl(tenant));
    url.username = id.readerRole;
    url.password = password;
    const client = new ScramCachingClient({
      connectionString: url.toString(),
      application_name: 'tenantry-run',
      statement_timeout: options.timeoutMs,
    });
    client.on('error', () => undefined); // a lost connection fails the query below
    await client.connect();
    try {
      await client.query('BEGIN READ ONLY');
      return await this.stream(client, sql, options);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  private async stream(
    client: pg.Client,
    sql: string,
    options: { maxRows: number; onRows: (batch: ReadResult) => void },
  ): Promise<ReadSummary> {
    const cursor = client.query(new QueryStream(sql, [], { rowMode: 'array', batchSize: BATCH_ROWS }));
    const columns = () => ((cursor._result?.fields ?? []) as pg.FieldDef[]).map((f) => f.name);
    let batch: unknown[][] = [];
    let rows = 0;
    const flush = () => {
      options.onRows({ columns: columns(), rows: batch });
      batch = [];
    };
    for await (const row of cursor as AsyncIterable<unknown[]>) {
      if (rows === options.maxRows) {
        cursor.destroy();
        flush();
        return { rows, truncated: true };
      }
      batch.push(row);
      rows++;
      if (batch.length === BATCH_ROWS) flush();
    }
    flush();
    return { rows, truncated: false };
  }
}
