import { AppError, type ErrorMappings, type HttpMapping } from '../common/errors/app-error.js';

/** The operator plane's own codes. */
export enum OperatorErrorCode {
  PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED',
}

export const OPERATOR_ERRORS: ErrorMappings<OperatorErrorCode> = {
  PASSWORD_CHANGE_REQUIRED: { status: 403 },
};

export class OperatorError extends AppError<OperatorErrorCode> {
  get http(): HttpMapping {
    return OPERATOR_ERRORS[this.code];
  }
}

export const OperatorErrors = {
  passwordChangeRequired: (): OperatorError =>
    new OperatorError(
      OperatorErrorCode.PASSWORD_CHANGE_REQUIRED,
      'This one-time password must be replaced: log in again with `newPassword`.',
    ),
};
