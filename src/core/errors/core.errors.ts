import { AppError, type ErrorMappings, type HttpMapping } from '../../common/errors/app-error.js';

/** The core plane's own codes: owners' accounts and their organizations. */
export enum CoreErrorCode {
  EMAIL_NOT_VERIFIED = 'EMAIL_NOT_VERIFIED',
  INVALID_VERIFICATION_TOKEN = 'INVALID_VERIFICATION_TOKEN',
  ORGANIZATION_NOT_FOUND = 'ORGANIZATION_NOT_FOUND',
  CONFIRMATION_MISMATCH = 'CONFIRMATION_MISMATCH',
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
}

export const CORE_ERRORS: ErrorMappings<CoreErrorCode> = {
  INVALID_VERIFICATION_TOKEN: { status: 400 },
  CONFIRMATION_MISMATCH: { status: 400 },
  EMAIL_NOT_VERIFIED: { status: 403 },
  ORGANIZATION_NOT_FOUND: { status: 404 },
  JOB_NOT_FOUND: { status: 404 },
};

export class CoreError extends AppError<CoreErrorCode> {
  get http(): HttpMapping {
    return CORE_ERRORS[this.code];
  }
}
