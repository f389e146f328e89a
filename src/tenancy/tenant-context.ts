import { EntityManager } from 'typeorm';
import { CatalogEntry } from './catalog-entry.js';
import { TenantDataSourceRegistry } from './tenant-datasource.registry.js';

/**
 * A tenant and the way to its database. Every call holds the tenant's DataSource for its duration, so an
 * eviction never closes a pool under a running query.
 */
export class TenantContext {
  constructor(
    readonly tenant: CatalogEntry,
    private readonly registry: TenantDataSourceRegistry,
  ) {}

  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.registry.withDataSource(this.tenant, (ds) => fn(ds.manager));
  }

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.registry.withDataSource(this.tenant, (ds) => ds.transaction(fn));
  }
}
