import { ErrorCode } from './error-code.js';
import { httpMappingOf } from './error-status.js';

describe('httpMappingOf', () => {
  it('gives every code a client or unavailable status, and every 503 a Retry-After', () => {
    for (const code of Object.values(ErrorCode)) {
      const { status, retryAfterSeconds } = httpMappingOf(code);
      expect([400, 401, 403, 404, 409, 413, 416, 429, 503]).toContain(status);
      if (status === 503 || status === 429) expect(retryAfterSeconds).toBeGreaterThan(0);
      else expect(retryAfterSeconds).toBeUndefined();
    }
  });

  it('keeps the contract statuses of the codes clients rely on', () => {
    expect(httpMappingOf(ErrorCode.TENANT_NOT_FOUND).status).toBe(404);
    expect(httpMappingOf(ErrorCode.TENANT_SUSPENDED).status).toBe(403);
    expect(httpMappingOf(ErrorCode.TENANT_NOT_READY).status).toBe(503);
    expect(httpMappingOf(ErrorCode.INVALID_TOKEN).status).toBe(401);
    expect(httpMappingOf(ErrorCode.SERVICE_UNAVAILABLE)).toEqual({ status: 503, retryAfterSeconds: 1 });
  });
});
