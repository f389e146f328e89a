import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { CatalogEntry } from '../catalog/catalog-entry.js';

/**
 * What one request (or CLI/job call) carries: the tenant, once the tenant guard has resolved it, and the
 * HTTP request itself (a host reads what it hangs on it, such as its logger, through `request()`).
 */
interface ScopeHolder {
  tenant?: CatalogEntry;
  request?: object;
}

/**
 * The tenant of the running request (or CLI/job call), carried by Node's AsyncLocalStorage: every await
 * inside the handler sees it, without request-scoped dependency injection (docs/reference/tenancy.md, "request
 * scope" — measured). An HTTP request gets an empty holder from a Fastify `preHandler` hook
 * (`enterRequest`), so Nest's guards, pipes and handler all run inside it, and `TenantGuard` fills it in:
 * no interceptor (and no RxJS pipeline) per request.
 */
@Injectable()
export class TenantScope {
  private readonly storage = new AsyncLocalStorage<ScopeHolder>();

  run<T>(tenant: CatalogEntry, fn: () => T): T {
    return this.storage.run({ tenant }, fn);
  }

  /**
   * Runs the rest of one HTTP request (`next`, a Fastify hook's `done`) inside a holder of its own. The engine
   * installs the hook itself (request-scope.hook.ts).
   */
  enterRequest(request: object, next: () => void): void {
    this.storage.run({ request }, next);
  }

  /** The HTTP request now running, if inside one. */
  request<T extends object>(): T | undefined {
    return this.storage.getStore()?.request as T | undefined;
  }

  /** The tenant of the request now running (TenantGuard, once it has resolved the header). */
  enter(tenant: CatalogEntry): void {
    const holder = this.storage.getStore();
    if (!holder)
      throw new Error('no request scope: TenancyModule installs its hook on a Fastify HTTP adapter');
    holder.tenant = tenant;
  }

  current(): CatalogEntry | undefined {
    return this.storage.getStore()?.tenant;
  }
}
