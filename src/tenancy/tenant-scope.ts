import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Observable } from 'rxjs';
import { CatalogEntry } from './catalog-entry.js';
import type { TenantRequest } from './tenant.guard.js';

/**
 * The tenant of the running request (or CLI/job call), carried by Node's AsyncLocalStorage: every await
 * inside the handler sees it, without request-scoped dependency injection (docs/tenancy.md, "request
 * scope" — measured).
 */
@Injectable()
export class TenantScope {
  private readonly storage = new AsyncLocalStorage<CatalogEntry>();

  run<T>(tenant: CatalogEntry, fn: () => T): T {
    return this.storage.run(tenant, fn);
  }

  current(): CatalogEntry | undefined {
    return this.storage.getStore();
  }
}

/** Runs the handler (and its pipes) inside the scope of the tenant TenantGuard resolved. */
@Injectable()
export class TenantScopeInterceptor implements NestInterceptor {
  constructor(private readonly scope: TenantScope) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tenant = context.switchToHttp().getRequest<TenantRequest>().tenant;
    if (!tenant) return next.handle();
    return new Observable((subscriber) => this.scope.run(tenant, () => next.handle().subscribe(subscriber)));
  }
}
