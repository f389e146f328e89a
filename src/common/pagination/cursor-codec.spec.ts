import { decodeCursor, encodeCursor } from './cursor-codec.js';
import { CommonErrorCode } from '../errors/error-code.js';

const SHAPE = { t: 'timestamp', i: 'uuid', r: 'number' } as const;
const KEY = { t: '2026-11-22 10:51:28.838179+00', i: '3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b', r: 0.25 };

describe('cursor codec', () => {
  it('round-trips a key of the given shape', () => {
    expect(decodeCursor(encodeCursor<typeof SHAPE>(KEY), SHAPE)).toEqual(KEY);
  });

  it.each([
    ['not base64 JSON', 'bm9wZQ'],
    ['a JSON scalar', Buffer.from('42').toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
    ['a bad uuid', encodeCursor<typeof SHAPE>({ ...KEY, i: "x' OR 1=1 --" })],
    ['a bad timestamp', encodeCursor<typeof SHAPE>({ ...KEY, t: 'yesterday' })],
    ['a missing field', Buffer.from(JSON.stringify({ t: KEY.t, i: KEY.i })).toString('base64url')],
    ['a missing field not optional', Buffer.from(JSON.stringify({ t: KEY.t, r: 1 })).toString('base64url')],
    ['an extra field', Buffer.from(JSON.stringify({ ...KEY, x: 1 })).toString('base64url')],
    ['an array', Buffer.from(JSON.stringify([KEY.t, KEY.i, KEY.r])).toString('base64url')],
  ])('refuses %s with VALIDATION_FAILED', (_, cursor) => {
    expect(() => decodeCursor(cursor, SHAPE)).toThrow(
      expect.objectContaining({ code: CommonErrorCode.VALIDATION_FAILED }),
    );
  });
});

describe('optional fields', () => {
  it('takes a cursor without an optional field, and checks it when present', () => {
    const old = Buffer.from(JSON.stringify({ t: KEY.t, i: KEY.i })).toString('base64url');
    expect(decodeCursor(old, SHAPE, ['r'])).toEqual({ t: KEY.t, i: KEY.i });
    expect(() => decodeCursor(encodeCursor<typeof SHAPE>({ ...KEY, r: 1e300 }), SHAPE, ['r'])).toThrow(
      expect.objectContaining({
        code: CommonErrorCode.VALIDATION_FAILED,
        fields: [expect.objectContaining({ field: 'cursor' })],
      }),
    );
  });
});

describe('serial cursors (the event log)', () => {
  const SERIAL = { i: 'serial' } as const;

  it('round-trips an id', () => {
    expect(decodeCursor(encodeCursor<typeof SERIAL>({ i: 42 }), SERIAL)).toEqual({ i: 42 });
  });

  it.each([[-1], [0], [1.5], [2 ** 53], ['7']])('refuses %p, which no page ever issued', (i) => {
    const cursor = Buffer.from(JSON.stringify({ i })).toString('base64url');
    expect(() => decodeCursor(cursor, SERIAL)).toThrow(
      expect.objectContaining({ code: CommonErrorCode.VALIDATION_FAILED }),
    );
  });
});
