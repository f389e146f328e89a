import { AppError, type ErrorMappings, type HttpMapping } from '../../common/errors/app-error.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';

/** The engine's own codes: the tenant a request names, and onboarding. */
export enum TenancyErrorCode {
  TENANT_HEADER_MISSING = 'TENANT_HEADER_MISSING',
  TENANT_HEADER_INVALID = 'TENANT_HEADER_INVALID',
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  TENANT_SUSPENDED = 'TENANT_SUSPENDED',
  TENANT_NOT_READY = 'TENANT_NOT_READY',
  SLUG_TAKEN = 'SLUG_TAKEN',
  PROVISIONING_FAILED = 'PROVISIONING_FAILED',
  FLEET_RUN_NOT_FOUND = 'FLEET_RUN_NOT_FOUND',
}

/** The HTTP face of the engine's codes; a host composes it with its own (the engine's errors carry it). */
export const TENANCY_ERRORS: ErrorMappings<TenancyErrorCode> = {
  TENANT_HEADER_MISSING: { status: 400 },
  TENANT_HEADER_INVALID: { status: 400 },
  TENANT_SUSPENDED: { status: 403 },
  TENANT_NOT_FOUND: { status: 404 },
  FLEET_RUN_NOT_FOUND: { status: 404 },
  SLUG_TAKEN: { status: 409 },
  TENANT_NOT_READY: { status: 503, retryAfterSeconds: 5 },
  PROVISIONING_FAILED: { status: 503, retryAfterSeconds: 5 },
};

export class TenancyError extends AppError<TenancyErrorCode> {
  get http(): HttpMapping {
    return TENANCY_ERRORS[this.code];
  }
}

/** The engine's expected failures (codes only; the HTTP filter picks statuses). */
export const TenancyErrors = {
  headerMissing: (header: string): AppError =>
    new TenancyError(
      TenancyErrorCode.TENANT_HEADER_MISSING,
      `The ${header} header is required on tenant routes.`,
    ),
  headerInvalid: (header: string): AppError =>
    new TenancyError(
      TenancyErrorCode.TENANT_HEADER_INVALID,
      `The ${header} header is not a valid organization slug.`,
    ),
  headerDisagrees: (header: string): AppError =>
    new TenancyError(
      TenancyErrorCode.TENANT_HEADER_INVALID,
      `The ${header} header names another organization than the host name does.`,
    ),
  notFound: (): AppError => new TenancyError(TenancyErrorCode.TENANT_NOT_FOUND, 'No such organization.'),
  suspended: (): AppError =>
    new TenancyError(TenancyErrorCode.TENANT_SUSPENDED, 'This organization is suspended.'),
  notReady: (): AppError =>
    new TenancyError(TenancyErrorCode.TENANT_NOT_READY, 'This organization is not ready yet.'),
  fleetRunNotFound: (): AppError =>
    new TenancyError(TenancyErrorCode.FLEET_RUN_NOT_FOUND, 'No such fleet run.'),
  slugTaken: (): AppError => new TenancyError(TenancyErrorCode.SLUG_TAKEN, 'This slug is already taken.'),
  quotaExceeded: (limit: number): AppError =>
    new CommonError(CommonErrorCode.QUOTA_EXCEEDED, `An owner may have at most ${limit} organizations.`),
  /** Too many onboardings at once: the queue is full. */
  provisioningBusy: (): AppError =>
    new CommonError(
      CommonErrorCode.SERVICE_UNAVAILABLE,
      'Too many organizations are being set up right now; retry the same request shortly.',
      { retryAfterSeconds: 2 },
    ),
  provisioningFailed: (): AppError =>
    new TenancyError(
      TenancyErrorCode.PROVISIONING_FAILED,
      'The organization could not be set up; nothing was left behind. Retry the same request.',
    ),
};

/** A programming error, not a client's: tenant data used outside any tenant's scope. */
export class MissingTenantScopeError extends Error {
  constructor() {
    super('Tenant data was used outside a tenant scope (no TenantGuard, TenantRunner or TenantScope.run).');
    this.name = 'MissingTenantScopeError';
  }
}
