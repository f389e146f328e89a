import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

/** The engine's expected failures (codes only; the HTTP filter picks statuses). */
export const TenancyErrors = {
  headerMissing: (header: string): AppError =>
    new AppError(ErrorCode.TENANT_HEADER_MISSING, `The ${header} header is required on tenant routes.`),
  headerInvalid: (header: string): AppError =>
    new AppError(ErrorCode.TENANT_HEADER_INVALID, `The ${header} header is not a valid organization slug.`),
  notFound: (): AppError => new AppError(ErrorCode.TENANT_NOT_FOUND, 'No such organization.'),
  suspended: (): AppError => new AppError(ErrorCode.TENANT_SUSPENDED, 'This organization is suspended.'),
  notReady: (): AppError => new AppError(ErrorCode.TENANT_NOT_READY, 'This organization is not ready yet.'),
  slugTaken: (): AppError => new AppError(ErrorCode.SLUG_TAKEN, 'This slug is already taken.'),
  quotaExceeded: (limit: number): AppError =>
    new AppError(ErrorCode.QUOTA_EXCEEDED, `An owner may have at most ${limit} organizations.`),
  /** Too many onboardings at once: the queue is full. */
  provisioningBusy: (): AppError =>
    new AppError(
      ErrorCode.SERVICE_UNAVAILABLE,
      'Too many organizations are being set up right now; retry the same request shortly.',
      { retryAfterSeconds: 2 },
    ),
  provisioningFailed: (): AppError =>
    new AppError(
      ErrorCode.PROVISIONING_FAILED,
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
