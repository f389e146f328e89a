import {
  ContextId,
  ContextIdFactory,
  ContextIdResolver,
  ContextIdStrategy,
  HostComponentInfo,
} from '@nestjs/core';
import { isValidSlug } from './slug.util.js';

/** What a durable tenant sub-tree receives as its REQUEST: the tenant it serves. */
export interface TenantTreePayload {
  slug: string | null;
}

/**
 * Durable request scope keyed by tenant: every request for tenant `acme` shares one DI sub-tree, so the
 * request-scoped TenantConnectionManager (and the services that use it) are built once per tenant instead
 * of once per request. The map of sub-trees is LRU-bounded like the DataSource registry; a dropped
 * ContextId is garbage collected with its instances (Nest keeps them in a WeakMap).
 */
export class TenantContextIdStrategy implements ContextIdStrategy<{ headers: Record<string, unknown> }> {
  private readonly trees = new Map<string, ContextId>();

  constructor(
    private readonly header: string,
    private readonly maxTrees: number,
  ) {}

  attach(contextId: ContextId, request: { headers: Record<string, unknown> }): ContextIdResolver {
    const raw = request.headers?.[this.header];
    const slug = isValidSlug(raw) ? raw : null;
    const key = slug ?? '';
    let tree = this.trees.get(key);
    if (tree) {
      this.trees.delete(key);
    } else {
      tree = ContextIdFactory.create();
      while (this.trees.size >= this.maxTrees) this.trees.delete(this.trees.keys().next().value as string);
    }
    this.trees.set(key, tree);
    const durable = tree;
    const payload: TenantTreePayload = { slug };
    return { resolve: (info: HostComponentInfo) => (info.isTreeDurable ? durable : contextId), payload };
  }

  get size(): number {
    return this.trees.size;
  }
}
