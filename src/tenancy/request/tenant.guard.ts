import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { CatalogEntry } from '../catalog/catalog-entry.js';
import { isValidSlug } from '../catalog/slug.util.js';
import { TenancyErrors } from '../options/tenancy.errors.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { SchemaGate } from './schema-gate.js';
import { TenantScope } from './tenant-scope.js';
import { TENANCY_SETTINGS, type TenancySettings } from '../options/tenancy.options.js';

export interface TenantRequest {
  headers: Record<string, string | string[] | undefined>;
  tenant?: CatalogEntry;
}

/**
 * Resolves the tenant the request names (its header, or its host name with TENANT_HOST_SUFFIX) per docs/reference/api.md
 * (400/404/403/503) and puts the catalog entry on the request.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    private readonly catalog: TenantCatalog,
    private readonly scope: TenantScope,
    private readonly gate: SchemaGate,
  ) {}

  /** Synchronous when the catalog has the tenant cached (no promise on the hot path). */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const raw = this.named(request);
    const cached = this.catalog.peek(this.slugOf(raw));
    if (cached !== undefined) {
      const entry = this.servable(cached);
      if (!this.gate.behind(entry)) return this.admit(request, entry);
      return this.gate.admit(entry).then((current) => this.admit(request, current));
    }
    return this.resolve(raw).then((entry) => this.admit(request, entry));
  }

  /** The tenant `raw` names, servable (its schema migrated first when it is behind: SchemaGate). */
  async resolve(raw: string | string[] | undefined): Promise<CatalogEntry> {
    const entry = this.servable(await this.catalog.findBySlug(this.slugOf(raw)));
    return this.gate.behind(entry) ? this.gate.admit(entry) : entry;
  }

  private admit(request: TenantRequest, entry: CatalogEntry): true {
    request.tenant = entry;
    this.scope.enter(entry);
    return true;
  }

  /**
   * The tenant the request names: its header, or with TENANT_HOST_SUFFIX its host `<slug><suffix>` (the
   * header may come too, but must then name the same tenant: 400 TENANT_HEADER_INVALID otherwise).
   */
  private named(request: TenantRequest): string | string[] | undefined {
    const header = request.headers[this.settings.header];
    const suffix = this.settings.hostSuffix;
    if (!suffix) return header;
    const host = String(request.headers.host ?? '')
      .toLowerCase()
      .replace(/:\d+$/, '')
      .replace(/\.$/, ''); // a fully qualified name's trailing dot
    const fromHost = host.endsWith(suffix) ? host.slice(0, -suffix.length) : undefined;
    if (fromHost === undefined) return header;
    if (header !== undefined && header !== fromHost)
      throw TenancyErrors.headerDisagrees(this.settings.header.toUpperCase());
    return fromHost;
  }

  private slugOf(raw: string | string[] | undefined): string {
    const name = this.settings.header.toUpperCase();
    if (raw === undefined || raw === '') throw TenancyErrors.headerMissing(name);
    if (!isValidSlug(raw)) throw TenancyErrors.headerInvalid(name);
    return raw;
  }

  private servable(entry: CatalogEntry | null): CatalogEntry {
    if (!entry || entry.status === 'deleting' || entry.status === 'deleted') throw TenancyErrors.notFound();
    if (entry.status === 'suspended') throw TenancyErrors.suspended();
    if (entry.status !== 'active') throw TenancyErrors.notReady();
    return entry;
  }
}
