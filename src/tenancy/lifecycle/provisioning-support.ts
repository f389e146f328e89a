import type { TenancySettings } from '../options/tenancy.options.js';
import { LockClass, withAdvisoryLock } from '../../database/advisory-lock.js';

/** The owner an onboarding seeds as the tenant's first admin. */
export interface OnboardingOwner {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

export type ProvisioningStep =
  | 'claimed'
  | 'role'
  | 'database'
  | 'migrated'
  | 'seeded'
  /** A move (TenantMover): the source closed to the tenant, then its copy loaded on the target. */
  | 'move-frozen'
  | 'move-copied'
  /** An online move (TenantOnlineMove): its copy made and caught up, before the freeze. */
  | 'move-online-synced';

/** Spares carry a slug no client can send (`_` is outside the slug pattern). */
export const SPARE_SLUG_PREFIX = '_spare_';

/**
 * Serialises everything that builds or removes one tenant (onboarding, retries, sweeps, deletion) across
 * instances: a session advisory lock keyed by the tenant id, on a connection of its own.
 */
export function withTenantLock<T>(
  coreUrl: string,
  tenantId: string,
  fn: () => Promise<T>,
  tryOnly = false,
): Promise<T | undefined> {
  return withAdvisoryLock(coreUrl, { lockClass: LockClass.provisioning, id: tenantId }, fn, {
    tryOnly,
    applicationName: 'tenantry-provisioner',
  });
}

/**
 * Test-only fault injection (honoured only with NODE_ENV=test, see config): `<step>` SIGKILLs the process
 * right after that step, `<step>:error` throws there.
 */
export function injectFault(settings: TenancySettings, step: ProvisioningStep): void {
  const fault = settings.faults?.afterStep;
  if (fault === step) process.kill(process.pid, 'SIGKILL');
  if (fault === `${step}:error`) throw new Error(`injected failure after ${step}`);
}
