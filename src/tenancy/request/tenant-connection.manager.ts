import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CatalogEntry } from '../catalog/catalog-entry.js';
import { MissingTenantScopeError } from '../options/tenancy.errors.js';
import { TenantContext } from './tenant-context.js';
import { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';
import { TenantScope } from './tenant-scope.js';

/**
 * The tenant-data entry point for services. Scoped to the request (or CLI/job call) through TenantScope:
 * it serves the tenant TenantGuard resolved for this request, and hands out its database through the
 * registry, each call holding a lease for its duration. A singleton in Nest's terms: the per-request
 * DI tree it replaces cost 3–15 % of throughput on a real route (docs/designs/performance.md).
 */
@Injectable()
export class TenantConnectionManager {
  constructor(
    private readonly scope: TenantScope,
    private readonly registry: TenantConnectionRegistry,
  ) {}

  tenant(): CatalogEntry {
    const entry = this.scope.current();
    if (!entry) throw new MissingTenantScopeError();
    return entry;
  }

  context(): TenantContext {
    return new TenantContext(this.tenant(), this.registry);
  }

  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.context().run(fn);
  }

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.context().transaction(fn);
  }
}
