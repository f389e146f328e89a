import { TenancyModule } from '../tenancy.module.js';
import { TENANCY_OPTIONS, type TenancyOptions, validateTenancyOptions } from './tenancy.options.js';

const valid = (): TenancyOptions =>
  ({
    tenantEntities: [class Note {}],
    tenantMigrations: [class First1 {}],
    appendOnlyTables: [],
    seedFirstAdmin: async () => undefined,
    adoptCopy: async () => undefined,
    findOwner: async () => null,
    settings: {
      coreUrl: 'postgres://u@127.0.0.1:5432/core',
      header: 'x-tenant',
      dbSecret: 's'.repeat(40),
      poolMax: 5,
      maxShare: 0.5,
      idleMs: 60_000,
      acquireTimeoutMs: 1000,
      provisioningConcurrency: 2,
      provisioningQueue: 16,
      sweepMs: 30_000,
      spares: 0,
      maxPerOwner: 10,
      catalogTtlMs: 30_000,
      hostConnections: 0,
      runWorkers: true,
    },
  }) as unknown as TenancyOptions;

describe('TenancyModule options', () => {
  it('takes valid options as they are', () => {
    const options = valid();
    expect(validateTenancyOptions(options)).toBe(options);
  });

  it('names every problem in one message', () => {
    const options = valid();
    Object.assign(options.settings, {
      coreUrl: 'mysql://x',
      header: 'Authorization',
      poolMax: 0,
      maxShare: 2,
    });
    Object.assign(options, { tenantMigrations: [], findOwner: undefined });
    expect(() => validateTenancyOptions(options)).toThrow(
      /^TenancyModule options are invalid: coreUrl must be a postgres:\/\/ URL; header must be a lower-case HTTP header name; poolMax must be an integer ≥ 1; tenantMigrations must list at least one migration; findOwner must be a function; maxShare must be a number in \(0, 1\]$/,
    );
  });

  it('refuses a standard header and a host suffix without its dot', () => {
    const options = valid();
    Object.assign(options.settings, { header: 'cookie', hostSuffix: 'app.example.com' });
    expect(() => validateTenancyOptions(options)).toThrow(
      'header must not be a standard HTTP header (cookie); hostSuffix must start with a dot',
    );
  });

  it('forRootAsync validates what its factory resolves, before anything uses it', async () => {
    const broken = valid();
    Object.assign(broken.settings, { dbSecret: 'short' });
    const module = TenancyModule.forRootAsync({ useFactory: async () => broken });
    const provider = module.providers!.find(
      (p): p is { provide: symbol; useFactory: () => Promise<TenancyOptions> } =>
        typeof p === 'object' && 'provide' in p && p.provide === TENANCY_OPTIONS,
    )!;
    await expect(provider.useFactory()).rejects.toThrow('dbSecret must be at least 32 characters');
    const good = valid();
    const ok = TenancyModule.forRootAsync({ useFactory: () => good });
    const resolved = ok.providers!.find(
      (p): p is { provide: symbol; useFactory: () => Promise<TenancyOptions> } =>
        typeof p === 'object' && 'provide' in p && p.provide === TENANCY_OPTIONS,
    )!;
    await expect(resolved.useFactory()).resolves.toBe(good);
  });
});
