import { AppError } from '../errors/app-error.js';
import { UUID } from '../ids/uuid.js';
import { CommonError, CommonErrorCode } from '../errors/error-code.js';

/** What a cursor field may hold; a decoded cursor is checked field by field before it reaches SQL. */
const FIELD_CHECKS = {
  uuid: (v: unknown) => typeof v === 'string' && UUID.test(v),
  /** As Postgres prints a timestamptz (microseconds): `2026-11-22 10:51:28.838179+00`. */
  timestamp: (v: unknown) => typeof v === 'string' && isPostgresTimestamp(v),
  /** A rank: finite and far inside a float4 (Postgres `real`), whose overflow is an error. */
  number: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e15,
  /** A row id of a `bigserial`: a whole number from 1. */
  serial: (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1,
  /** An organization's slug. */
  slug: (v: unknown) => typeof v === 'string' && /^[a-z0-9_-]{1,40}$/.test(v),
  /** The order (`?order=`) the cursor's page was listed in. */
  order: (v: unknown) => v === 'asc' || v === 'desc',
} as const;

type FieldKind = keyof typeof FIELD_CHECKS;
type FieldValue<K extends FieldKind> = K extends 'number' | 'serial'
  ? number
  : K extends 'order'
    ? 'asc' | 'desc'
    : string;
export type CursorShape = Record<string, FieldKind>;
export type CursorKey<S extends CursorShape> = { [F in keyof S]: FieldValue<S[F]> };

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(:\d{2})?$/;

/** The shape and the calendar: a cursor naming 2026-13-45 or 25:61 is refused here, not by Postgres. */
function isPostgresTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, , offset] = m.slice(1).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offset <= 15
  );
}

/** 400 VALIDATION_FAILED naming the `cursor` parameter (the contract's answer to a malformed cursor). */
export const invalidCursor = (detail = 'The cursor is not one this API returned.'): AppError =>
  new CommonError(CommonErrorCode.VALIDATION_FAILED, detail, {
    fields: [{ field: 'cursor', message: detail }],
  });

/**
 * A cursor carries the order its page was listed in; one of the other order is refused. A cursor without one
 * (issued before cursors carried it) pages the order asked for.
 */
export function checkCursorOrder(cursorOrder: 'asc' | 'desc' | undefined, order: 'asc' | 'desc'): void {
  if (cursorOrder !== undefined && cursorOrder !== order)
    throw invalidCursor(
      `The cursor belongs to a list in ${cursorOrder} order, not ${order}; start again without it.`,
    );
}

/** An opaque cursor: the last row's sort key as base64url JSON. */
export function encodeCursor<S extends CursorShape>(key: CursorKey<S>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The sort key a cursor of `shape` carries, or 400 VALIDATION_FAILED for anything this API did not issue;
 * the `optional` fields may be absent (cursors issued before they were added).
 */
export function decodeCursor<S extends CursorShape>(cursor: string, shape: S): CursorKey<S>;
export function decodeCursor<S extends CursorShape, O extends keyof S>(
  cursor: string,
  shape: S,
  optional: O[],
): Omit<CursorKey<S>, O> & Partial<Pick<CursorKey<S>, O>>;
export function decodeCursor<S extends CursorShape>(
  cursor: string,
  shape: S,
  optional: (keyof S)[] = [],
): Partial<CursorKey<S>> {
  let key: Record<string, unknown> | undefined;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalidCursor();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalidCursor();
  if (Object.keys(key).some((field) => !(field in shape))) throw invalidCursor();
  for (const [field, kind] of Object.entries(shape)) {
    if (!(field in key) && optional.includes(field)) continue;
    if (!FIELD_CHECKS[kind](key[field])) throw invalidCursor();
  }
  return key as Partial<CursorKey<S>>;
}
