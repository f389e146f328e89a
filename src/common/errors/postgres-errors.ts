/**
 * The SQLSTATE codes the service acts on, by name (PostgreSQL 15, Appendix A), and how to read them off an
 * error from `pg` or from TypeORM (which wraps the driver's error in `driverError`).
 */
export const SqlState = {
  UNIQUE_VIOLATION: '23505',
  NUMERIC_VALUE_OUT_OF_RANGE: '22003',
  FOREIGN_KEY_VIOLATION: '23503',
  DUPLICATE_DATABASE: '42P04',
  DUPLICATE_OBJECT: '42710',
  // A lost or refused connection, or a server that cannot take more.
  ADMIN_SHUTDOWN: '57P01',
  CRASH_SHUTDOWN: '57P02',
  CANNOT_CONNECT_NOW: '57P03',
  TOO_MANY_CONNECTIONS: '53300',
  CONFIGURATION_LIMIT_EXCEEDED: '53400',
  CONNECTION_EXCEPTION: '08000',
  UNABLE_TO_CONNECT: '08001',
  CONNECTION_DOES_NOT_EXIST: '08003',
  SERVER_REJECTED_CONNECTION: '08004',
  CONNECTION_FAILURE: '08006',
  PROTOCOL_VIOLATION: '08P01',
  // Refusals at connect time: a tenant database closed for a move, or gone from a server it moved off.
  INSUFFICIENT_PRIVILEGE: '42501',
  INVALID_AUTHORIZATION: '28000',
  INVALID_PASSWORD: '28P01',
  INVALID_CATALOG_NAME: '3D000',
} as const;

export type SqlStateCode = (typeof SqlState)[keyof typeof SqlState];

interface DriverErrorFields {
  code?: unknown;
  constraint?: unknown;
  driverError?: { code?: unknown; constraint?: unknown };
}

/** The error's code: a SQLSTATE, or a Node/pool code such as ECONNREFUSED. */
export function errorCodeOf(err: unknown): string | undefined {
  const e = err as DriverErrorFields | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `err` carries one of `states`. */
export function hasSqlState(err: unknown, ...states: SqlStateCode[]): boolean {
  const code = errorCodeOf(err);
  return code !== undefined && (states as string[]).includes(code);
}

/** True when `err` is a `state` violation of the named constraint (unique SKU, a foreign key…). */
export function violatesConstraint(err: unknown, state: SqlStateCode, constraint: string): boolean {
  const e = err as DriverErrorFields | undefined;
  return hasSqlState(err, state) && (e?.driverError?.constraint ?? e?.constraint) === constraint;
}
