import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CatalogEntry } from './catalog-entry.js';
import { isValidSlug } from './slug.util.js';
import { TenancyErrors } from './tenancy.errors.js';
import { TenantCatalog } from './tenant-catalog.service.js';
import { TenantScope } from './tenant-scope.js';

export interface TenantRequest {
  headers: Record<string, string | string[] | undefined>;
  tenant?: CatalogEntry;
}

/** Resolves the tenant header per docs/api.md (400/404/403/503) and puts the catalog entry on the request. */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalog: TenantCatalog,
    private readonly scope: TenantScope,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    request.tenant = await this.resolve(request.headers[this.config.tenantHeader]);
    this.scope.enter(request.tenant);
    return true;
  }

  async resolve(raw: string | string[] | undefined): Promise<CatalogEntry> {
    const name = this.config.tenantHeader.toUpperCase();
    if (raw === undefined || raw === '') throw TenancyErrors.headerMissing(name);
    if (!isValidSlug(raw)) throw TenancyErrors.headerInvalid(name);
    const entry = await this.catalog.findBySlug(raw);
    if (!entry || entry.status === 'deleting' || entry.status === 'deleted') throw TenancyErrors.notFound();
    if (entry.status === 'suspended') throw TenancyErrors.suspended();
    if (entry.status !== 'active') throw TenancyErrors.notReady();
    return entry;
  }
}
