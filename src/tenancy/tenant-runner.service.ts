import { Injectable, Type } from '@nestjs/common';
import { ContextIdFactory, ModuleRef } from '@nestjs/core';
import { TenancyErrors } from './tenancy.errors.js';
import { TenantCatalog } from './tenant-catalog.service.js';
import type { TenantTreePayload } from './tenant-context-id.strategy.js';
import { TenantContext } from './tenant-context.js';
import { TenantDataSourceRegistry } from './tenant-datasource.registry.js';

/** Runs code in a tenant's context outside HTTP (CLI commands, scheduled jobs). */
@Injectable()
export class TenantRunner {
  constructor(
    private readonly catalog: TenantCatalog,
    private readonly registry: TenantDataSourceRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** `fn` gets the tenant and its database, exactly as a request for that tenant would. */
  async run<T>(slug: string, fn: (context: TenantContext) => Promise<T>): Promise<T> {
    const tenant = await this.catalog.findBySlug(slug);
    if (!tenant) throw TenancyErrors.notFound();
    return fn(new TenantContext(tenant, this.registry));
  }

  /** A request-scoped service (e.g. UsersService) built for `slug`, as the HTTP layer would build it. */
  async resolve<T>(slug: string, type: Type<T>): Promise<T> {
    const contextId = ContextIdFactory.create();
    const payload: TenantTreePayload = { slug };
    this.moduleRef.registerRequestByContextId(payload, contextId);
    return this.moduleRef.resolve(type, contextId, { strict: false });
  }
}
