import { badRequest, forbidden, notFound, ProblemException } from '../common/errors/problem.exception.js';

export enum TenancyErrorCode {
  TENANT_HEADER_MISSING = 'TENANT_HEADER_MISSING',
  TENANT_HEADER_INVALID = 'TENANT_HEADER_INVALID',
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  TENANT_SUSPENDED = 'TENANT_SUSPENDED',
  TENANT_NOT_READY = 'TENANT_NOT_READY',
  SLUG_TAKEN = 'SLUG_TAKEN',
  PROVISIONING_FAILED = 'PROVISIONING_FAILED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
}

export const TenancyErrors = {
  headerMissing: (header: string): ProblemException =>
    badRequest(TenancyErrorCode.TENANT_HEADER_MISSING, `The ${header} header is required on tenant routes.`),
  headerInvalid: (header: string): ProblemException =>
    badRequest(
      TenancyErrorCode.TENANT_HEADER_INVALID,
      `The ${header} header is not a valid organization slug.`,
    ),
  notFound: (): ProblemException => notFound(TenancyErrorCode.TENANT_NOT_FOUND, 'No such organization.'),
  suspended: (): ProblemException =>
    forbidden(TenancyErrorCode.TENANT_SUSPENDED, 'This organization is suspended.'),
  notReady: (): ProblemException =>
    new ProblemException(
      503,
      TenancyErrorCode.TENANT_NOT_READY,
      'Service Unavailable',
      'This organization is not ready yet.',
      undefined,
      { 'retry-after': '5' },
    ),
  slugTaken: (): ProblemException =>
    new ProblemException(409, TenancyErrorCode.SLUG_TAKEN, 'Conflict', 'This slug is already taken.'),
  /** Too many onboardings at once: the queue is full. */
  provisioningBusy: (): ProblemException =>
    new ProblemException(
      503,
      TenancyErrorCode.SERVICE_UNAVAILABLE,
      'Service Unavailable',
      'Too many organizations are being set up right now; retry the same request shortly.',
      undefined,
      { 'retry-after': '2' },
    ),
  provisioningFailed: (): ProblemException =>
    new ProblemException(
      503,
      TenancyErrorCode.PROVISIONING_FAILED,
      'Service Unavailable',
      'The organization could not be set up; nothing was left behind. Retry the same request.',
      undefined,
      { 'retry-after': '5' },
    ),
};
