import { Inject, Injectable, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import { CatalogEntry } from './catalog-entry.js';
import { TenancyErrors } from './tenancy.errors.js';
import { TenantCatalog } from './tenant-catalog.service.js';
import type { TenantTreePayload } from './tenant-context-id.strategy.js';
import { TenantContext } from './tenant-context.js';
import { TenantDataSourceRegistry } from './tenant-datasource.registry.js';

/**
 * The tenant-data entry point for services: request-scoped and durable per tenant (one instance per tenant
 * sub-tree, see TenantContextIdStrategy). It resolves its tenant through the cached catalog on each use, so
 * a suspension or deletion takes effect at once, and hands out the tenant's database through the registry.
 */
@Injectable({ scope: Scope.REQUEST, durable: true })
export class TenantConnectionManager {
  constructor(
    @Inject(REQUEST) private readonly payload: TenantTreePayload,
    private readonly catalog: TenantCatalog,
    private readonly registry: TenantDataSourceRegistry,
  ) {}

  async tenant(): Promise<CatalogEntry> {
    const entry = this.payload.slug ? await this.catalog.findBySlug(this.payload.slug) : null;
    if (!entry) throw TenancyErrors.notFound();
    if (entry.status === 'suspended') throw TenancyErrors.suspended();
    if (entry.status !== 'active') throw TenancyErrors.notReady();
    return entry;
  }

  async context(): Promise<TenantContext> {
    return new TenantContext(await this.tenant(), this.registry);
  }

  async run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return (await this.context()).run(fn);
  }

  async transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return (await this.context()).transaction(fn);
  }
}
