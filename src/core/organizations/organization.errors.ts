import { AppError } from '../../common/errors/app-error.js';
import { CoreError, CoreErrorCode } from '../errors/core.errors.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';

export const OrganizationErrors = {
  notFound: (): AppError => new CoreError(CoreErrorCode.ORGANIZATION_NOT_FOUND, 'No such organization.'),
  jobNotFound: (): AppError =>
    new CoreError(CoreErrorCode.JOB_NOT_FOUND, 'No such job for this organization.'),
  confirmationMismatch: (): AppError =>
    new CoreError(CoreErrorCode.CONFIRMATION_MISMATCH, 'confirm must repeat the slug of the organization.'),
  invalidTransition: (status: string, verb: 'suspended' | 'resumed' | 'restored'): AppError =>
    new CommonError(
      CommonErrorCode.INVALID_TRANSITION,
      `An organization that is ${status} cannot be ${verb}.`,
    ),
};
