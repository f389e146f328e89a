import { CommonError, CommonErrorCode } from './error-code.js';

/**
 * A resource of the service's own is unavailable right now — a connection budget with nothing free in time,
 * a pool that is closing, a queue that is full — rather than a bug or bad input: 503 SERVICE_UNAVAILABLE with
 * Retry-After, like any AppError of that code (a host of the engine answers it through `http`).
 */
export class UnavailableError extends CommonError {
  constructor(detail = 'The service is busy; retry shortly.') {
    super(CommonErrorCode.SERVICE_UNAVAILABLE, detail);
  }
}
