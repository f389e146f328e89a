import { ErrorCode } from '../errors/error-code.js';
import { httpMappingOf } from '../errors/error-status.js';

/**
 * Codes of replies the HTTP layer itself makes: Fastify's body and URL errors and framework exceptions that
 * are not an AppError (problem.filter.ts maps them), with their statuses. With ErrorCode they are every code
 * a reply can carry.
 */
const TRANSPORT_CODE_STATUS = {
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  // Node's own refusals, before any route (http-security.ts, clientErrorHandler).
  REQUEST_TIMEOUT: 408,
  REQUEST_HEADER_FIELDS_TOO_LARGE: 431,
} as const;

type TransportCode = keyof typeof TRANSPORT_CODE_STATUS;
/** A code as the document and the decorators spell it: the enum's string, so `'SKU_TAKEN'` is one. */
export type ProblemCode = `${ErrorCode}` | TransportCode;

/** Every code of the Problem schema's `code` enum. */
export const PROBLEM_CODES: readonly ProblemCode[] = [
  ...Object.values(ErrorCode),
  ...(Object.keys(TRANSPORT_CODE_STATUS) as TransportCode[]),
];

export function statusOfCode(code: ProblemCode): number {
  return code in TRANSPORT_CODE_STATUS
    ? TRANSPORT_CODE_STATUS[code as TransportCode]
    : httpMappingOf(code as ErrorCode).status;
}
