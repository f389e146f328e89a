import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServerAdmin } from '../../tenancy/index.js';

/** How old the measured sizes may be before a read of the tenant table measures them again (in the background). */
const STALE_MS = 5 * 60_000;

/**
 * Tenant database sizes for the tenant table: `pg_database_size` walks a database's files, about a
 * millisecond per tenant, so it is measured in the background at most every 5 minutes per instance and kept
 * in `tenant_activity`, never per request.
 */
@Injectable()
export class TenantSizes {
  private readonly logger = new Logger(TenantSizes.name);
  private measuredAt = 0;
  private measuring?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly servers: ServerAdmin,
  ) {}

  /** Starts a measurement when the last one is older than 5 minutes; does not wait for it. */
  refreshIfStale(): void {
    if (Date.now() - this.measuredAt > STALE_MS) void this.refresh();
  }

  /** Measures every tenant database now (one at a time per instance) and records the sizes. */
  refresh(): Promise<void> {
    this.measuring ??= this.measure()
      .catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'tenant sizes not measured'))
      .finally(() => (this.measuring = undefined));
    return this.measuring;
  }

  private async measure(): Promise<void> {
    this.measuredAt = Date.now();
    const sizes = await this.servers.tenantSizes();
    if (sizes.length === 0) return;
    await this.core.query(
      `INSERT INTO tenant_activity (tenant_id, database_bytes, bytes_measured_at)
       SELECT r.tenant_id, r.bytes, now() FROM json_to_recordset($1::json) AS r(tenant_id uuid, bytes bigint)
       ON CONFLICT (tenant_id) DO UPDATE SET database_bytes = excluded.database_bytes,
         bytes_measured_at = excluded.bytes_measured_at`,
      [JSON.stringify(sizes.map((s) => ({ tenant_id: s.tenantId, bytes: s.bytes })))],
    );
  }
}
