import { EntityManager } from 'typeorm';
import { CatalogEntry } from '../catalog/catalog-entry.js';
import { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';

/**
 * A tenant and the way to its database. Every call borrows one connection of the tenant's budgeted pool
 * for its duration and hands `fn` an EntityManager bound to it.
 */
export class TenantContext {
  constructor(
    readonly tenant: CatalogEntry,
    private readonly connections: TenantConnectionRegistry,
  ) {}

  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.connections.withConnection(this.tenant, (manager) => fn(manager));
  }

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.connections.withConnection(this.tenant, (manager) => manager.transaction(fn));
  }
}
