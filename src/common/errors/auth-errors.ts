import { AppError } from './app-error.js';
import { CommonError, CommonErrorCode } from './error-code.js';

/** Token and credential failures, worded alike for owners and tenant users (one client-side handling). */
export const AuthErrors = {
  invalidToken: (): AppError =>
    new CommonError(CommonErrorCode.INVALID_TOKEN, 'The access token is missing, invalid or expired.'),
  invalidCredentials: (): AppError =>
    new CommonError(CommonErrorCode.INVALID_CREDENTIALS, 'The email or password is incorrect.'),
  invalidRefreshToken: (): AppError =>
    new CommonError(
      CommonErrorCode.INVALID_REFRESH_TOKEN,
      'The refresh token is unknown, expired or revoked.',
    ),
  refreshTokenReused: (): AppError =>
    new CommonError(
      CommonErrorCode.REFRESH_TOKEN_REUSED,
      'This refresh token was already used; its whole family has been revoked.',
    ),
};
