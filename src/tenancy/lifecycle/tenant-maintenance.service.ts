import { Injectable } from '@nestjs/common';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';

export const MAINTENANCE_OPERATIONS = ['analyze', 'vacuum', 'reindex'] as const;
export type MaintenanceOperation = (typeof MAINTENANCE_OPERATIONS)[number];

export interface MaintenanceResult {
  operations: MaintenanceOperation[];
  /** When the work itself began (after any wait for a turn), and how long it took. */
  startedAt: string;
  ms: number;
}

/**
 * Routine maintenance of one tenant database, on an admin session inside it (the login role owns no
 * table, and VACUUM needs the owner). `VACUUM` runs outside any transaction, `REINDEX` with
 * `CONCURRENTLY`; `lock_timeout` gives up rather than queue behind the tenant's traffic for long.
 */
@Injectable()
export class TenantMaintenance {
  constructor(private readonly builder: TenantDatabaseBuilder) {}

  async maintain(
    tenant: TenantLocation,
    requested: readonly MaintenanceOperation[],
  ): Promise<MaintenanceResult> {
    const operations = MAINTENANCE_OPERATIONS.filter((op) => requested.includes(op));
    const started = Date.now();
    await this.builder.inside(tenant, async (inside) => {
      await inside.query(`SET lock_timeout = '5s'`);
      const vacuum = operations.includes('vacuum');
      const analyze = operations.includes('analyze');
      if (vacuum) await inside.query(analyze ? 'VACUUM (ANALYZE)' : 'VACUUM');
      else if (analyze) await inside.query('ANALYZE');
      if (operations.includes('reindex')) await inside.query('REINDEX SCHEMA CONCURRENTLY public');
    });
    return { operations, startedAt: new Date(started).toISOString(), ms: Date.now() - started };
  }
}
