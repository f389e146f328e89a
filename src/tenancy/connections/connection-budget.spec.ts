import { computeConnectionBudget } from './connection-budget.js';

const DEFAULT_SERVER = { maxConnections: 100, superuserReserved: 3 };
const DEFAULTS = { provisioningConcurrency: 2, jobConcurrency: 4 };

describe('computeConnectionBudget', () => {
  it('leaves 69 tenant connections on a default server with the default settings (docs/reference/tenancy.md)', () => {
    // 100 − 3 superuser − 5 ours − 10 core pool − 1 listener − 2 job queue − 2 provisioner − 2×2 onboardings − 4 jobs
    expect(computeConnectionBudget({ ...DEFAULT_SERVER, ...DEFAULTS })).toEqual({
      tenants: 69,
      derived: 69,
      maxConnections: 100,
    });
  });

  it('does not count the core pool, listener and job queue on a server that does not host the core database', () => {
    expect(computeConnectionBudget({ ...DEFAULT_SERVER, ...DEFAULTS, hostsCore: false }).tenants).toBe(82);
  });

  it('counts each concurrent onboarding twice and each tenant job once', () => {
    const base = computeConnectionBudget({ ...DEFAULT_SERVER, ...DEFAULTS }).tenants;
    expect(
      computeConnectionBudget({ ...DEFAULT_SERVER, ...DEFAULTS, provisioningConcurrency: 3 }).tenants,
    ).toBe(base - 2);
    expect(computeConnectionBudget({ ...DEFAULT_SERVER, ...DEFAULTS, jobConcurrency: 10 }).tenants).toBe(
      base - 6,
    );
  });

  it('lets an explicit cap lower the budget, never raise it', () => {
    expect(computeConnectionBudget({ ...DEFAULT_SERVER, ...DEFAULTS, explicit: 15 }).tenants).toBe(15);
    expect(computeConnectionBudget({ ...DEFAULT_SERVER, ...DEFAULTS, explicit: 500 }).tenants).toBe(69);
  });

  it('refuses a server too small for one tenant connection, saying what to change', () => {
    expect(() => computeConnectionBudget({ maxConnections: 31, superuserReserved: 3, ...DEFAULTS })).toThrow(
      /max_connections \(31\) leaves no connection for tenants.*Raise max_connections/,
    );
    expect(computeConnectionBudget({ maxConnections: 32, superuserReserved: 3, ...DEFAULTS }).tenants).toBe(
      1,
    );
  });
});
