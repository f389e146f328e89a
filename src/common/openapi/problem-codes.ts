import type { HttpMapping } from '../errors/app-error.js';

/**
 * Codes of replies the HTTP layer itself makes: Fastify's body and URL errors and framework exceptions that
 * are not an AppError (problem.filter.ts maps them), with their statuses. With the owners' codes
 * (src/error-codes.ts) they are every code a reply can carry.
 */
const TRANSPORT_CODE_STATUS = {
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  // Node's own refusals, before any route (http-security.ts, clientErrorHandler).
  REQUEST_TIMEOUT: 408,
  REQUEST_HEADER_FIELDS_TOO_LARGE: 431,
  // A fault of the service itself (never by design; no operation declares it).
  INTERNAL_ERROR: 500,
} as const;

type TransportCode = keyof typeof TRANSPORT_CODE_STATUS;
/** A code as the document and the decorators spell it (`'SKU_TAKEN'`); one no owner has fails the document. */
export type ProblemCode = string;

/** Every code of the Problem schema's `code` enum: the owners' and the HTTP layer's. */
export function problemCodes(owners: ReadonlyMap<string, HttpMapping>): string[] {
  return [...owners.keys(), ...Object.keys(TRANSPORT_CODE_STATUS)];
}

export function statusOfCode(owners: ReadonlyMap<string, HttpMapping>, code: ProblemCode): number {
  if (code in TRANSPORT_CODE_STATUS) return TRANSPORT_CODE_STATUS[code as TransportCode];
  const mapping = owners.get(code);
  if (!mapping) throw new Error(`OpenAPI: an operation names the error code ${code}, which no owner has`);
  return mapping.status;
}
