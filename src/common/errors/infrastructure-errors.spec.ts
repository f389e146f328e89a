import { AdmissionQueueFullError } from '../async/admission-queue.js';
import { isInfrastructureFailure } from './infrastructure-errors.js';
import { UnavailableError } from './unavailable-error.js';

describe('isInfrastructureFailure', () => {
  it("recognises the service's own unavailable resources by class", () => {
    class PoolBusy extends UnavailableError {}
    expect(isInfrastructureFailure(new PoolBusy('no connection in time'))).toBe(true);
    expect(isInfrastructureFailure(new AdmissionQueueFullError())).toBe(true);
  });

  it('does not take a look-alike code or message for one', () => {
    expect(isInfrastructureFailure(Object.assign(new Error('x'), { code: 'POOL_TIMEOUT' }))).toBe(false);
    expect(isInfrastructureFailure(new Error('PROVISIONING_QUEUE_FULL'))).toBe(false);
  });

  it('recognises a lost connection by SQLSTATE, node code or driver message, also as a cause', () => {
    expect(isInfrastructureFailure(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(isInfrastructureFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isInfrastructureFailure(new Error('x', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
    expect(isInfrastructureFailure(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
  });
});
