import {
  conflict,
  forbidden,
  notFound,
  ProblemException,
  unauthorized,
} from '../../common/errors/problem.exception.js';

export const TenantAuthErrors = {
  invalidToken: (): ProblemException =>
    unauthorized('INVALID_TOKEN', 'The access token is missing, invalid or expired.'),
  invalidCredentials: (): ProblemException =>
    unauthorized('INVALID_CREDENTIALS', 'The email or password is incorrect.'),
  invalidRefreshToken: (): ProblemException =>
    unauthorized('INVALID_REFRESH_TOKEN', 'The refresh token is unknown, expired or revoked.'),
  refreshTokenReused: (): ProblemException =>
    unauthorized(
      'REFRESH_TOKEN_REUSED',
      'This refresh token was already used; its whole family has been revoked.',
    ),
  forbidden: (detail = 'Your role may not do this.'): ProblemException => forbidden('FORBIDDEN', detail),
  emailTaken: (): ProblemException => conflict('EMAIL_TAKEN', 'A user with this email already exists.'),
  userNotFound: (): ProblemException => notFound('USER_NOT_FOUND', 'No such user.'),
};
