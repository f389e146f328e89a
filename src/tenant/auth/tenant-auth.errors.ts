import { AppError } from '../../common/errors/app-error.js';
import { AuthErrors } from '../../common/errors/auth-errors.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';
import { DomainError, DomainErrorCode } from '../errors/error-codes.js';

/** Tenant users' auth and role failures. */
export const TenantAuthErrors = {
  ...AuthErrors,
  forbidden: (detail = 'Your role may not do this.'): AppError =>
    new CommonError(CommonErrorCode.FORBIDDEN, detail),
  emailTaken: (): AppError =>
    new CommonError(CommonErrorCode.EMAIL_TAKEN, 'A user with this email already exists.'),
  userNotFound: (): AppError => new DomainError(DomainErrorCode.USER_NOT_FOUND, 'No such user.'),
  ownerProtected: (): AppError =>
    new DomainError(
      DomainErrorCode.OWNER_PROTECTED,
      "The organization owner's admin user cannot be demoted or deactivated.",
    ),
  lastAdmin: (): AppError =>
    new DomainError(DomainErrorCode.LAST_ADMIN, 'The last active admin cannot be demoted or deactivated.'),
  currentPassword: (message: string): AppError =>
    new CommonError(CommonErrorCode.VALIDATION_FAILED, 'The request is not valid.', {
      fields: [{ field: 'currentPassword', message }],
    }),
};
