import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TenantScope } from './tenant-scope.js';

interface HookableInstance {
  addHook(name: 'preHandler', hook: (request: object, reply: unknown, done: () => void) => void): unknown;
}

/**
 * Installs the engine's one per-request hook on the host's Fastify instance: each request's guards, pipes
 * and handler run inside a TenantScope holder of their own, which the tenant guard fills in. Without an
 * HTTP adapter (the CLI, a worker) there is nothing to install; TenantScope.run serves those.
 */
@Injectable()
export class RequestScopeHook implements OnModuleInit {
  constructor(
    private readonly scope: TenantScope,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) return;
    const instance = adapter.getInstance?.() as Partial<HookableInstance> | undefined;
    if (typeof instance?.addHook !== 'function')
      throw new Error(
        'TenancyModule needs the Fastify HTTP adapter (@nestjs/platform-fastify) for its request hook',
      );
    instance.addHook('preHandler', (request, _reply, done) => this.scope.enterRequest(request, done));
  }
}
