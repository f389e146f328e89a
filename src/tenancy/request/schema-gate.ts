import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CatalogEntry } from '../catalog/catalog-entry.js';
import { TenantMigrator } from '../migrations/tenant-migrator.service.js';
import { TenancyErrors } from '../options/tenancy.errors.js';
import { TENANCY_SETTINGS, type TenancySettings } from '../options/tenancy.options.js';
import { migrationName, servingFloor } from '../options/tenant-migrations.js';

/** After a migration on access failed, requests to that tenant answer 503 at once for this long. */
const FAILURE_BACKOFF_MS = 5_000;

/**
 * Serving during a rollout (docs/reference/migrations.md): a tenant whose schema is older than the oldest
 * version this build serves is migrated on its first request — one migration per tenant and instance at a
 * time (single flight here; across instances the tenant's migration lock, and the second finds nothing
 * pending) — while its requests wait up to the acquire timeout, then answer 503 TENANT_NOT_READY with
 * Retry-After. With `migrateOnAccess: false` it answers 503 TENANT_NOT_READY until a fleet run reaches it.
 * A tenant at or past that version is served as it is. `behind` is a map lookup: the hot path pays nothing.
 */
@Injectable()
export class SchemaGate {
  private readonly logger = new Logger(SchemaGate.name);
  /** Position of each migration of this build; a version not in it (a newer build's) is never behind. */
  private readonly positions: Map<string, number>;
  private readonly floor: number;
  private readonly flights = new Map<string, Promise<CatalogEntry>>();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly migrator: TenantMigrator,
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
  ) {
    const set = migrator.migrationSet;
    this.positions = new Map(set.map((m, i) => [migrationName(m), i]));
    const floor = servingFloor(set);
    this.floor = floor === null ? -1 : this.positions.get(floor)!;
  }

  behind(entry: CatalogEntry): boolean {
    if (this.floor < 0) return false;
    const at = entry.schemaVersion === null ? -1 : (this.positions.get(entry.schemaVersion) ?? Infinity);
    return at < this.floor;
  }

  /** The entry once its schema is servable, or 503 TENANT_NOT_READY. */
  admit(entry: CatalogEntry): Promise<CatalogEntry> {
    if (this.settings.migrateOnAccess === false) return Promise.reject(TenancyErrors.notReady());
    if (Date.now() - (this.failedAt.get(entry.id) ?? -Infinity) < FAILURE_BACKOFF_MS)
      return Promise.reject(TenancyErrors.notReady());
    let flight = this.flights.get(entry.id);
    if (!flight) {
      flight = this.migrate(entry);
      this.flights.set(entry.id, flight);
      // Every waiter may have timed out: the flight's own failure is handled (logged) here.
      flight.catch(() => undefined).finally(() => this.flights.delete(entry.id));
    }
    return withTimeout(flight, this.settings.acquireTimeoutMs);
  }

  private async migrate(entry: CatalogEntry): Promise<CatalogEntry> {
    try {
      const { from, to, applied } = await this.migrator.migrate(entry);
      this.logger.log({ tenant: entry.slug, from, to, applied: applied.length }, 'tenant migrated on access');
      return { ...entry, schemaVersion: to };
    } catch (err) {
      this.failedAt.set(entry.id, Date.now());
      this.logger.error({ tenant: entry.slug, err: (err as Error).message }, 'migration on access failed');
      throw TenancyErrors.notReady();
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(TenancyErrors.notReady()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
