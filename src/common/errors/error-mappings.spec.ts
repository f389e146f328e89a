import { COMMON_ERRORS, CommonError, CommonErrorCode } from './error-code.js';
import { composeErrorMappings } from './error-mappings.js';

describe('error codes by owner', () => {
  it('gives every common code a client or unavailable status, and a Retry-After to every 429 and 503', () => {
    for (const { status, retryAfterSeconds } of Object.values(COMMON_ERRORS)) {
      expect([400, 401, 403, 409, 413, 429, 503]).toContain(status);
      if (status === 503 || status === 429) expect(retryAfterSeconds).toBeGreaterThan(0);
      else expect(retryAfterSeconds).toBeUndefined();
    }
  });

  it("an error answers with its owner's mapping", () => {
    expect(new CommonError(CommonErrorCode.SERVICE_UNAVAILABLE, 'x').http).toEqual({
      status: 503,
      retryAfterSeconds: 1,
    });
    expect(new CommonError(CommonErrorCode.INVALID_TOKEN, 'x').http).toEqual({ status: 401 });
  });

  it('composes the owners, refusing a code two owners claim', () => {
    const all = composeErrorMappings({ common: COMMON_ERRORS, other: { NOT_MINE: { status: 404 } } });
    expect(all.get('NOT_MINE')).toEqual({ status: 404 });
    expect(all.size).toBe(Object.keys(COMMON_ERRORS).length + 1);
    expect(() =>
      composeErrorMappings({ common: COMMON_ERRORS, other: { FORBIDDEN: { status: 403 } } }),
    ).toThrow(/FORBIDDEN is claimed by common and other/);
  });
});
