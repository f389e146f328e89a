/**
 * A resource of the service's own is unavailable right now — a connection budget with nothing free in time,
 * a pool that is closing, a queue that is full — rather than a bug or bad input. Recognised by class
 * (infrastructure-errors.ts) and answered 503 SERVICE_UNAVAILABLE with Retry-After.
 */
export class UnavailableError extends Error {}
