import { AppError } from '../errors/app-error.js';
import { ErrorCode } from '../errors/error-code.js';

/** What a cursor field may hold; a decoded cursor is checked field by field before it reaches SQL. */
const FIELD_CHECKS = {
  uuid: (v: unknown) => typeof v === 'string' && UUID.test(v),
  /** As Postgres prints a timestamptz (microseconds): `2026-11-22 10:51:28.838179+00`. */
  timestamp: (v: unknown) => typeof v === 'string' && TIMESTAMP.test(v),
  number: (v: unknown) => typeof v === 'number' && Number.isFinite(v),
} as const;

type FieldKind = keyof typeof FIELD_CHECKS;
type FieldValue<K extends FieldKind> = K extends 'number' ? number : string;
export type CursorShape = Record<string, FieldKind>;
export type CursorKey<S extends CursorShape> = { [F in keyof S]: FieldValue<S[F]> };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export const invalidCursor = (): AppError =>
  new AppError(ErrorCode.INVALID_CURSOR, 'The cursor is not one this API returned.');

/** An opaque cursor: the last row's sort key as base64url JSON. */
export function encodeCursor<S extends CursorShape>(key: CursorKey<S>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key a cursor of `shape` carries, or 400 INVALID_CURSOR for anything this API did not issue. */
export function decodeCursor<S extends CursorShape>(cursor: string, shape: S): CursorKey<S> {
  let key: Record<string, unknown> | undefined;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalidCursor();
  }
  if (typeof key !== 'object' || key === null) throw invalidCursor();
  for (const [field, kind] of Object.entries(shape)) {
    if (!FIELD_CHECKS[kind](key[field])) throw invalidCursor();
  }
  return key as CursorKey<S>;
}
