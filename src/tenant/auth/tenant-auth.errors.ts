import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AuthErrors } from '../../common/errors/auth-errors.js';

/** Tenant users' auth and role failures. */
export const TenantAuthErrors = {
  ...AuthErrors,
  forbidden: (detail = 'Your role may not do this.'): AppError => new AppError(ErrorCode.FORBIDDEN, detail),
  emailTaken: (): AppError => new AppError(ErrorCode.EMAIL_TAKEN, 'A user with this email already exists.'),
  userNotFound: (): AppError => new AppError(ErrorCode.USER_NOT_FOUND, 'No such user.'),
};
