import { Injectable } from '@nestjs/common';
import { TenancyErrors } from '../options/tenancy.errors.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { TenantContext } from './tenant-context.js';
import { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';
import { TenantScope } from './tenant-scope.js';

/**
 * Runs code in a tenant's context outside HTTP (CLI commands, scheduled jobs): inside `fn`, every service
 * that uses TenantConnectionManager works on that tenant, exactly as during a request for it.
 */
@Injectable()
export class TenantRunner {
  constructor(
    private readonly catalog: TenantCatalog,
    private readonly registry: TenantConnectionRegistry,
    private readonly scope: TenantScope,
  ) {}

  async run<T>(slug: string, fn: (context: TenantContext) => Promise<T>): Promise<T> {
    const tenant = await this.catalog.findBySlug(slug);
    if (!tenant) throw TenancyErrors.notFound();
    return this.scope.run(tenant, () => fn(new TenantContext(tenant, this.registry)));
  }
}
