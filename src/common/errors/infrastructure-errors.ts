/**
 * Which errors mean "the database (or a connection budget) is unavailable right now" rather than a bug or
 * bad input. These are answered 503 SERVICE_UNAVAILABLE with Retry-After, never 500 and never 401
 * (docs/reference/api.md, "Errors").
 */

import { errorCodeOf, SqlState, SqlStateCode } from './postgres-errors.js';
import { UnavailableError } from './unavailable-error.js';

/** SQLSTATEs of a lost or refused connection, or a server that cannot take more. */
const CONNECTION_SQLSTATES = new Set<string>([
  SqlState.ADMIN_SHUTDOWN,
  SqlState.CRASH_SHUTDOWN,
  SqlState.CANNOT_CONNECT_NOW,
  SqlState.TOO_MANY_CONNECTIONS,
  SqlState.CONFIGURATION_LIMIT_EXCEEDED,
  SqlState.CONNECTION_EXCEPTION,
  SqlState.UNABLE_TO_CONNECT,
  SqlState.CONNECTION_DOES_NOT_EXIST,
  SqlState.SERVER_REJECTED_CONNECTION,
  SqlState.CONNECTION_FAILURE,
  SqlState.PROTOCOL_VIOLATION,
] satisfies SqlStateCode[]);
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Connection ended',
  'connection timeout',
  'Driver not Connected',
  // pg's own connect timeout (connectionTimeoutMillis), e.g. a PgBouncer that cannot reach its server.
  'timeout expired',
];

function messageOf(err: unknown): string {
  const e = err as { message?: unknown; driverError?: { message?: unknown } };
  return `${String(e?.message ?? '')} ${String(e?.driverError?.message ?? '')}`;
}

/** The connection itself failed: it must not go back to a pool. */
export function isConnectionFailure(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = errorCodeOf(err);
  if (code && (CONNECTION_SQLSTATES.has(code) || NODE_CODES.has(code))) return true;
  const message = messageOf(err);
  return MESSAGES.some((m) => message.includes(m));
}

/** The database or a connection budget is unavailable: 503 + Retry-After. */
export function isInfrastructureFailure(err: unknown): boolean {
  // Our own pools and queues: no connection within the wait, a pool shutting down, a full queue.
  if (err instanceof UnavailableError) return true;
  if (isConnectionFailure(err)) return true;
  const cause = (err as { cause?: unknown })?.cause;
  return cause !== undefined && cause !== err && isConnectionFailure(cause);
}
