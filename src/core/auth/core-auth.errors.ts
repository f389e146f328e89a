import { AppError } from '../../common/errors/app-error.js';
import { AuthErrors } from '../../common/errors/auth-errors.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';
import { CoreError, CoreErrorCode } from '../errors/core.errors.js';

/** Owners' account failures (token and credential ones are shared with tenant users). */
export const CoreAuthErrors = {
  ...AuthErrors,
  emailTaken: (): AppError =>
    new CommonError(CommonErrorCode.EMAIL_TAKEN, 'An account with this email already exists.'),
  emailNotVerified: (): AppError =>
    new CoreError(CoreErrorCode.EMAIL_NOT_VERIFIED, 'Verify your email address before logging in.'),
  invalidEmailToken: (): AppError =>
    new CoreError(CoreErrorCode.INVALID_VERIFICATION_TOKEN, 'The token is unknown, expired or already used.'),
};
