import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AbuseLimits } from '../../common/limits/abuse-limits.service.js';
import type { StoredSettings } from '../../common/settings/organization-settings.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { TenantRequest } from '../../tenancy/index.js';

/**
 * A tenant's `limits.requestsPerSecond` (every instance together when REDIS_URL is set): beyond it, 429
 * RATE_LIMITED with Retry-After. Right after the tenant is resolved, before authentication, so a flood of
 * bad tokens counts too. A tenant without a limit costs nothing here (no promise, no store).
 */
@Injectable()
export class TenantRateGuard implements CanActivate {
  private readonly fallback: number | null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly limits: AbuseLimits,
  ) {
    this.fallback = config.tenantDefaults.requestsPerSecond;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const tenant = context.switchToHttp().getRequest<TenantRequest>().tenant;
    if (!tenant) return true;
    const own = (tenant.settings as StoredSettings).limits?.requestsPerSecond;
    const limit = own === undefined ? this.fallback : own;
    if (limit === null || limit === undefined) return true;
    return this.limits.tenantRequest(tenant.id, limit).then(() => true);
  }
}
