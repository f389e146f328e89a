import { ERROR_MAPPINGS } from '../src/error-codes.js';

/** The service's owners of error codes, composed: no code claimed twice (composition throws), statuses kept. */
describe('the error codes of the service', () => {
  it('keeps the contract statuses of the codes clients rely on, each from its owner', () => {
    expect(ERROR_MAPPINGS.get('TENANT_NOT_FOUND')).toEqual({ status: 404 });
    expect(ERROR_MAPPINGS.get('TENANT_SUSPENDED')).toEqual({ status: 403 });
    expect(ERROR_MAPPINGS.get('TENANT_NOT_READY')).toEqual({ status: 503, retryAfterSeconds: 5 });
    expect(ERROR_MAPPINGS.get('ORGANIZATION_NOT_FOUND')).toEqual({ status: 404 });
    expect(ERROR_MAPPINGS.get('SKU_TAKEN')).toEqual({ status: 409 });
    expect(ERROR_MAPPINGS.get('INVALID_TOKEN')).toEqual({ status: 401 });
    expect(ERROR_MAPPINGS.get('FLEET_RUN_NOT_FOUND')).toEqual({ status: 404 });
    // The contract answers a malformed cursor with VALIDATION_FAILED: there is no cursor code of its own.
    expect(ERROR_MAPPINGS.has('INVALID_CURSOR')).toBe(false);
    expect(ERROR_MAPPINGS.size).toBe(48);
  });

  it('answers every 503 and 429 with a Retry-After', () => {
    for (const [code, { status, retryAfterSeconds }] of ERROR_MAPPINGS)
      if (status === 503 || status === 429)
        expect({ code, retryAfterSeconds }).toEqual({ code, retryAfterSeconds: expect.any(Number) });
  });
});
