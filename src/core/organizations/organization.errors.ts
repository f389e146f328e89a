import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const OrganizationErrors = {
  notFound: (): AppError => new AppError(ErrorCode.ORGANIZATION_NOT_FOUND, 'No such organization.'),
  jobNotFound: (): AppError => new AppError(ErrorCode.JOB_NOT_FOUND, 'No such job for this organization.'),
  confirmationMismatch: (): AppError =>
    new AppError(ErrorCode.CONFIRMATION_MISMATCH, 'confirm must repeat the slug of the organization.'),
  invalidTransition: (status: string, verb: 'suspended' | 'resumed' | 'restored'): AppError =>
    new AppError(ErrorCode.INVALID_TRANSITION, `An organization that is ${status} cannot be ${verb}.`),
};
