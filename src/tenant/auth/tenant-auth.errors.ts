import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AuthErrors } from '../../common/errors/auth-errors.js';

/** Tenant users' auth and role failures. */
export const TenantAuthErrors = {
  ...AuthErrors,
  forbidden: (detail = 'Your role may not do this.'): AppError => new AppError(ErrorCode.FORBIDDEN, detail),
  emailTaken: (): AppError => new AppError(ErrorCode.EMAIL_TAKEN, 'A user with this email already exists.'),
  userNotFound: (): AppError => new AppError(ErrorCode.USER_NOT_FOUND, 'No such user.'),
  ownerProtected: (): AppError =>
    new AppError(
      ErrorCode.OWNER_PROTECTED,
      "The organization owner's admin user cannot be demoted or deactivated.",
    ),
  lastAdmin: (): AppError =>
    new AppError(ErrorCode.LAST_ADMIN, 'The last active admin cannot be demoted or deactivated.'),
  currentPassword: (message: string): AppError =>
    new AppError(ErrorCode.VALIDATION_FAILED, 'The request is not valid.', {
      fields: [{ field: 'currentPassword', message }],
    }),
};
