import { AppError, type ErrorMappings, type HttpMapping } from './app-error.js';

/** Seconds a client should wait after a 503 caused by the database or a connection budget. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/**
 * The codes of the bottom layer, shared by both planes and the engine: requests in general, tokens and
 * credentials (worded alike for owners and tenant users), limits and availability.
 */
export enum CommonErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  MALFORMED_JSON = 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  FORBIDDEN = 'FORBIDDEN',
  INVALID_TOKEN = 'INVALID_TOKEN',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
}

export const COMMON_ERRORS: ErrorMappings<CommonErrorCode> = {
  BAD_REQUEST: { status: 400 },
  VALIDATION_FAILED: { status: 400 },
  WEAK_PASSWORD: { status: 400 },
  MALFORMED_JSON: { status: 400 },
  INVALID_TOKEN: { status: 401 },
  INVALID_CREDENTIALS: { status: 401 },
  INVALID_REFRESH_TOKEN: { status: 401 },
  REFRESH_TOKEN_REUSED: { status: 401 },
  FORBIDDEN: { status: 403 },
  QUOTA_EXCEEDED: { status: 403 },
  EMAIL_TAKEN: { status: 409 },
  PAYLOAD_TOO_LARGE: { status: 413 },
  INVALID_TRANSITION: { status: 409 },
  RATE_LIMITED: { status: 429, retryAfterSeconds: 60 },
  SERVICE_UNAVAILABLE: { status: 503, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
};

export class CommonError extends AppError<CommonErrorCode> {
  get http(): HttpMapping {
    return COMMON_ERRORS[this.code];
  }
}
