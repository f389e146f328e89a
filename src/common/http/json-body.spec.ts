import { JSON_MAX_DEPTH, JSON_MAX_VALUES, jsonComplexity } from './json-body.js';

describe('jsonComplexity (the scan before any JSON parse)', () => {
  const fine = { tooDeep: false, tooMany: false };

  it('passes ordinary bodies', () => {
    expect(jsonComplexity('{"a":[1,2,{"b":"c"}],"d":null}')).toEqual(fine);
    expect(jsonComplexity('')).toEqual(fine);
  });

  it(`counts nesting up to ${JSON_MAX_DEPTH} and refuses one level more`, () => {
    expect(jsonComplexity('['.repeat(JSON_MAX_DEPTH) + ']'.repeat(JSON_MAX_DEPTH))).toEqual(fine);
    expect(jsonComplexity('['.repeat(JSON_MAX_DEPTH + 1))).toEqual({ tooDeep: true, tooMany: false });
    // Depth comes back down: siblings at the limit are fine.
    const atLimit = '['.repeat(JSON_MAX_DEPTH) + ']'.repeat(JSON_MAX_DEPTH);
    expect(jsonComplexity(`[${atLimit.slice(1, -1)},${atLimit.slice(1, -1)}]`)).toEqual(fine);
  });

  it(`counts values up to ${JSON_MAX_VALUES} and refuses more`, () => {
    expect(jsonComplexity(`[${Array(JSON_MAX_VALUES - 1).fill(0)}]`)).toEqual(fine);
    expect(jsonComplexity(`[${Array(JSON_MAX_VALUES + 1).fill(0)}]`)).toEqual({
      tooDeep: false,
      tooMany: true,
    });
  });

  it('ignores brackets and commas inside strings, escaped quotes included', () => {
    expect(jsonComplexity(JSON.stringify({ s: '['.repeat(100) + ','.repeat(20_000) + '\\"[' }))).toEqual(
      fine,
    );
  });

  it('finds an escaped NUL in a string, which Postgres text cannot hold', () => {
    expect(jsonComplexity('{"a":"x\\u0000"}')).toEqual({ tooDeep: false, tooMany: false, nul: true });
    expect(jsonComplexity('{"a":"x\\\\u0000"}')).toEqual(fine);
  });
});
