import { Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '../errors/problem.js';
import { AppError } from '../errors/app-error.js';
import { CommonError, CommonErrorCode } from '../errors/error-code.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export function validationFailed(errors: FieldError[]): AppError {
  return new CommonError(CommonErrorCode.VALIDATION_FAILED, 'The request is not valid.', { fields: errors });
}

/** Unknown properties are rejected, values are transformed to the DTO's types, errors become `errors[]`. */
export function createValidationPipe(expectedType?: Type): ValidationPipe {
  return new ValidationPipe({
    expectedType,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
