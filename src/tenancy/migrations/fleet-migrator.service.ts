import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Organization } from '../catalog/organization.entity.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { TenantMigrator } from './tenant-migrator.service.js';

export type FleetResult = 'migrated' | 'up-to-date' | 'pending' | 'failed' | 'not-started';

export interface FleetRow {
  slug: string;
  from: string | null;
  to: string | null;
  ms: number;
  result: FleetResult;
  /** Applied (or, in a dry run, pending) migration names. */
  migrations: string[];
  error?: string;
}

export interface FleetOptions {
  concurrency: number;
  continueOnError: boolean;
  dryRun: boolean;
  /** Once aborted, no new tenant starts; the ones in flight finish. */
  signal?: AbortSignal;
  onProgress?: (row: FleetRow, done: number, total: number) => void;
}

/** Schema versions recorded in the catalog per statement during a fleet run. */
const RECORD_BATCH = 50;

/**
 * Runs tenant migrations over many tenants with bounded concurrency. Each tenant is migrated under its
 * own database's advisory lock (TenantMigrator), so two fleet runs at once apply every migration once.
 * A rerun only finds what is still pending, which is how an interrupted or failed run resumes.
 * The catalog's schema versions are written in batches (one UPDATE and its notifications per
 * RECORD_BATCH tenants, the rest when the run ends: a statement per tenant was ~10 % of a fleet run);
 * whatever a killed run did not write, the next run writes, as it records every version the catalog
 * does not show yet.
 */
@Injectable()
export class FleetMigrator {
  private readonly logger = new Logger(FleetMigrator.name);

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly migrator: TenantMigrator,
    private readonly catalog: TenantCatalog,
  ) {}

  /** The named tenants (all must exist), or every active tenant, in slug order. */
  async targets(slugs: string[]): Promise<Organization[]> {
    const repo = this.core.getRepository(Organization);
    if (slugs.length === 0) return repo.find({ where: { status: 'active' }, order: { slug: 'ASC' } });
    const found = await repo.find({ where: { slug: In(slugs) }, order: { slug: 'ASC' } });
    const missing = slugs.filter((s) => !found.some((o) => o.slug === s));
    if (missing.length > 0) throw new Error(`no such tenant: ${missing.join(', ')}`);
    return found;
  }

  async run(tenants: Organization[], options: FleetOptions): Promise<FleetRow[]> {
    const rows: FleetRow[] = tenants.map((t) => ({
      slug: t.slug,
      from: t.schemaVersion,
      to: t.schemaVersion,
      ms: 0,
      result: 'not-started',
      migrations: [],
    }));
    let next = 0;
    let done = 0;
    let stop = false;
    let unrecorded: { tenantId: string; version: string | null }[] = [];
    const record = async (atLeast: number) => {
      if (unrecorded.length < atLeast) return;
      const batch = unrecorded;
      unrecorded = [];
      // The migrations are done either way: a catalog that could not be written is the next run's job.
      await this.catalog.recordSchemaVersions(batch).catch((err: Error) => {
        unrecorded.push(...batch);
        this.logger.warn({ tenants: batch.length, err: err.message }, 'schema versions not recorded yet');
      });
    };
    const worker = async () => {
      while (!stop && !options.signal?.aborted && next < tenants.length) {
        const index = next++;
        const row = rows[index];
        await this.one(tenants[index], row, options.dryRun);
        if (!options.dryRun && row.result !== 'failed' && row.to !== tenants[index].schemaVersion)
          unrecorded.push({ tenantId: tenants[index].id, version: row.to });
        await record(RECORD_BATCH);
        done++;
        if (row.result === 'failed' && !options.continueOnError) stop = true;
        options.onProgress?.(row, done, tenants.length);
      }
    };
    const width = Math.max(1, Math.min(options.concurrency, tenants.length));
    try {
      await Promise.all(Array.from({ length: width }, worker));
    } finally {
      await record(1);
    }
    return rows;
  }

  private async one(tenant: Organization, row: FleetRow, dryRun: boolean): Promise<void> {
    const started = Date.now();
    try {
      if (dryRun) {
        row.migrations = await this.migrator.pending(tenant);
        row.result = row.migrations.length > 0 ? 'pending' : 'up-to-date';
      } else {
        const result = await this.migrator.migrate(tenant, false);
        Object.assign(row, { from: result.from, to: result.to, migrations: result.applied });
        row.result = result.applied.length > 0 ? 'migrated' : 'up-to-date';
      }
    } catch (err) {
      row.result = 'failed';
      row.error = (err as Error).message;
      this.logger.warn({ tenant: tenant.slug, err: row.error }, 'tenant migration failed');
    }
    row.ms = Date.now() - started;
  }
}
