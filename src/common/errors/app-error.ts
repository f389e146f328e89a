import { ErrorCode } from './error-code.js';
import type { FieldError } from './problem.js';

export interface AppErrorOptions {
  /** Per-field reasons (validation). */
  fields?: FieldError[];
  /** When retrying makes sense sooner or later than the code's usual wait. */
  retryAfterSeconds?: number;
}

/**
 * The one error type the engine and the features throw for an expected failure: a stable code and a detail
 * safe to show a client. It knows nothing of HTTP; the problem+json filter decides the status.
 */
export class AppError extends Error {
  readonly fields?: FieldError[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    options: AppErrorOptions = {},
  ) {
    // An expected failure, not a bug: its stack says nothing, and capturing one was 4 % of a 404's CPU
    // (profile in docs/performance.md). Code may run before super() as long as it does not touch `this`.
    const depth = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail);
    Error.stackTraceLimit = depth;
    this.name = 'AppError';
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
