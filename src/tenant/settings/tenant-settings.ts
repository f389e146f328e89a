import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { PROBLEM_CODES_EXTENSION } from '../../common/openapi/operation.js';
import { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error.js';
import {
  effectiveSettings,
  type FeatureKey,
  type CountedLimit,
  type LimitKey,
  type OrganizationSettings,
} from '../../common/settings/organization-settings.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { lockForTransaction, LockClass } from '../../database/advisory-lock.js';
import { TenantScope, type TenantRequest } from '../../tenancy/index.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';
import { DomainError, DomainErrorCode } from '../errors/error-codes.js';

const FEATURE = Symbol('tenantry:feature');

/** What each limit counts, in the tenant's database. */
const COUNTERS: Record<CountedLimit, string> = {
  maxUsers: 'SELECT count(*)::int AS n FROM users',
  maxProducts: 'SELECT count(*)::int AS n FROM products WHERE deleted_at IS NULL',
  maxItems: 'SELECT count(*)::int AS n FROM items WHERE deleted_at IS NULL',
};

export const SettingsErrors = {
  quotaExceeded: (key: LimitKey, limit: number): AppError =>
    new CommonError(
      CommonErrorCode.QUOTA_EXCEEDED,
      `This organization's limit ${key} (${limit}) is reached.`,
    ),
  featureDisabled: (feature: FeatureKey): AppError =>
    new DomainError(
      DomainErrorCode.FEATURE_DISABLED,
      `The ${feature} feature is disabled for this organization.`,
    ),
};

/**
 * The current tenant's settings in force (from its catalog entry: a change reaches every instance with
 * the catalog's NOTIFY), and the quota check that create transactions take.
 */
@Injectable()
export class TenantSettings {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scope: TenantScope,
  ) {}

  current(): OrganizationSettings {
    const tenant = this.scope.current();
    if (!tenant) throw new Error('tenant settings read outside a tenant scope');
    return this.of(tenant.settings);
  }

  of(stored: Record<string, unknown>): OrganizationSettings {
    return effectiveSettings(stored, this.config.tenantDefaults);
  }

  /**
   * In the creating transaction, before its insert: refuses a create that would pass `key`'s limit. The
   * transaction-scoped advisory lock serialises the count-then-insert of concurrent creates, so 20 at once
   * against a limit of 10 leave exactly 10.
   */
  async reserve(m: EntityManager, key: CountedLimit): Promise<void> {
    const limit = this.current().limits[key];
    if (limit === null) return;
    await lockForTransaction(m, { lockClass: LockClass.tenantQuota, id: key });
    const [{ n }] = (await m.query(COUNTERS[key])) as { n: number }[];
    if (n >= limit) throw SettingsErrors.quotaExceeded(key, limit);
  }
}

/** Runs last in `TenantAuth`'s guards (after the tenant is resolved and the user authenticated). */
@Injectable()
export class FeatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: TenantSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const feature = this.reflector.getAllAndOverride<FeatureKey | undefined>(FEATURE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!feature) return true;
    const tenant = context.switchToHttp().getRequest<TenantRequest>().tenant;
    if (tenant && !this.settings.of(tenant.settings).features[feature])
      throw SettingsErrors.featureDisabled(feature);
    return true;
  }
}

/** Every route of the controller answers 403 FEATURE_DISABLED while the organization has `feature` off. */
export function RequiresFeature(feature: FeatureKey): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(FEATURE, feature),
    // Its own key: a method's own codes (operation.ts) would win over a class's under the same key.
    ApiExtension(`${PROBLEM_CODES_EXTENSION}-feature`, ['FEATURE_DISABLED']),
  );
}
