import type { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';
import { MissingTenantScopeError } from '../options/tenancy.errors.js';
import { TenantConnectionManager } from './tenant-connection.manager.js';
import { TenantScope } from './tenant-scope.js';
import type { CatalogEntry } from '../catalog/catalog-entry.js';

describe('TenantConnectionManager', () => {
  const registry = {} as TenantConnectionRegistry;

  it('outside any tenant scope is a wiring error (500), not a client-facing TENANT_NOT_FOUND', () => {
    const manager = new TenantConnectionManager(new TenantScope(), registry);
    expect(() => manager.tenant()).toThrow(MissingTenantScopeError);
  });

  it('inside a scope serves that tenant, and each nested scope its own', () => {
    const scope = new TenantScope();
    const manager = new TenantConnectionManager(scope, registry);
    const a = { id: 'a', slug: 'a' } as CatalogEntry;
    const b = { id: 'b', slug: 'b' } as CatalogEntry;
    scope.run(a, () => {
      expect(manager.tenant()).toBe(a);
      scope.run(b, () => expect(manager.tenant()).toBe(b));
      expect(manager.tenant()).toBe(a);
    });
  });
});
