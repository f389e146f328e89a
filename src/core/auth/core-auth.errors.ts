import {
  badRequest,
  conflict,
  forbidden,
  ProblemException,
  unauthorized,
} from '../../common/errors/problem.exception.js';

export enum CoreAuthErrorCode {
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  EMAIL_NOT_VERIFIED = 'EMAIL_NOT_VERIFIED',
  INVALID_VERIFICATION_TOKEN = 'INVALID_VERIFICATION_TOKEN',
  INVALID_TOKEN = 'INVALID_TOKEN',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
}

export const CoreAuthErrors = {
  emailTaken: (): ProblemException =>
    conflict(CoreAuthErrorCode.EMAIL_TAKEN, 'An account with this email already exists.'),
  invalidCredentials: (): ProblemException =>
    unauthorized(CoreAuthErrorCode.INVALID_CREDENTIALS, 'The email or password is incorrect.'),
  emailNotVerified: (): ProblemException =>
    forbidden(CoreAuthErrorCode.EMAIL_NOT_VERIFIED, 'Verify your email address before logging in.'),
  invalidEmailToken: (): ProblemException =>
    badRequest(
      CoreAuthErrorCode.INVALID_VERIFICATION_TOKEN,
      'The token is unknown, expired or already used.',
    ),
  invalidToken: (): ProblemException =>
    unauthorized(CoreAuthErrorCode.INVALID_TOKEN, 'The access token is missing, invalid or expired.'),
  invalidRefreshToken: (): ProblemException =>
    unauthorized(
      CoreAuthErrorCode.INVALID_REFRESH_TOKEN,
      'The refresh token is unknown, expired or revoked.',
    ),
  refreshTokenReused: (): ProblemException =>
    unauthorized(
      CoreAuthErrorCode.REFRESH_TOKEN_REUSED,
      'This refresh token was already used; its whole family has been revoked.',
    ),
};
