import type { FieldError } from './problem.js';

/** The HTTP face of an error code. */
export interface HttpMapping {
  status: number;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
}

/** One owner's codes and their HTTP faces: a Record over its code union, so exhaustive by construction. */
export type ErrorMappings<C extends string> = Readonly<Record<C, HttpMapping>>;

export interface AppErrorOptions {
  /** Per-field reasons (validation). */
  fields?: FieldError[];
  /** When retrying makes sense sooner or later than the code's usual wait. */
  retryAfterSeconds?: number;
}

/**
 * The base of every expected failure: a stable code and a detail safe to show a client. Each owner of codes
 * (the bottom layer, the engine, the core plane, the tenant domain) has its own subclass, enum and mapping
 * of its codes to HTTP; the problem+json filter answers any of them through `http`.
 */
export abstract class AppError<C extends string = string> extends Error {
  readonly fields?: FieldError[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: C,
    readonly detail: string,
    options: AppErrorOptions = {},
  ) {
    // An expected failure, not a bug: its stack says nothing, and capturing one was 4 % of a 404's CPU
    // (profile in docs/designs/performance.md). Code may run before super() as long as it does not touch `this`.
    const depth = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail);
    Error.stackTraceLimit = depth;
    this.name = 'AppError';
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The status (and Retry-After) of this error's code, from its owner's mapping. */
  abstract get http(): HttpMapping;
}
