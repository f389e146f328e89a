import { EntityManager, EntityTarget, ObjectLiteral, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { Page, PageQueryDto, paginate } from '../../common/pagination/cursor.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import type { Actor } from '../audit/actor.js';
import { audit } from '../audit/audit.writer.js';
import { DomainErrors } from '../errors/domain.errors.js';

export interface CatalogueRecord extends ObjectLiteral {
  id: string;
  createdAt: Date;
  deletedAt: Date | null;
}

export interface CatalogueQuery extends PageQueryDto {
  q?: string;
}

/** How one catalogue resource differs from the others. */
export interface CatalogueSpec<E> {
  entity: EntityTarget<E>;
  /** Audit entity name and the record its NOT_FOUND code names. */
  name: 'product' | 'supplier' | 'warehouse';
  /** Columns `?q=` matches (case-insensitive substring). */
  searchColumns: string[];
  /** Maps a database error to a domain problem (unique SKU, missing supplier…), or returns undefined. */
  mapError?: (err: QueryFailedError) => Error | undefined;
}

/**
 * List, read, create, update and soft-delete for a tenant's catalogue resources, each write audited in its
 * own transaction. Soft-deleted rows are invisible everywhere (TypeORM's `deleted_at` handling).
 */
export abstract class CatalogueService<E extends CatalogueRecord, V> {
  protected constructor(
    protected readonly tenant: TenantConnectionManager,
    private readonly spec: CatalogueSpec<E>,
  ) {}

  protected abstract view(record: E): V;

  /** Runs in the write's transaction before its insert or update (a quota check, attached files). */
  protected async beforeWrite(_m: EntityManager, _values: Partial<E>, _creating: boolean): Promise<void> {}

  /** Extra `WHERE`s for the resource's own list filters. */
  protected filter(_qb: SelectQueryBuilder<E>, _query: CatalogueQuery): void {}

  async list(query: CatalogueQuery): Promise<Page<V>> {
    const page = await this.tenant.run((m) => {
      const qb = m.getRepository(this.spec.entity).createQueryBuilder('r');
      if (query.q) {
        const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        qb.andWhere(`(${this.spec.searchColumns.map((c) => `r.${c} ILIKE :like`).join(' OR ')})`, { like });
      }
      this.filter(qb, query);
      return paginate(qb, 'r', query);
    });
    return { ...page, data: page.data.map((r) => this.view(r)) };
  }

  async get(id: string): Promise<V> {
    return this.view(await this.tenant.run((m) => this.find(m, id)));
  }

  async create(actor: Actor, values: Partial<E>): Promise<V> {
    return this.write(async (m) => {
      await this.beforeWrite(m, values, true);
      const repo = m.getRepository(this.spec.entity);
      const saved = await repo.save(repo.create(values as E));
      const created = await this.find(m, saved.id);
      await audit(m, actor, 'create', this.spec.name, created.id, null, created);
      return this.view(created);
    });
  }

  async update(actor: Actor, id: string, values: Partial<E>): Promise<V> {
    return this.write(async (m) => {
      const before = await this.find(m, id, true);
      await this.beforeWrite(m, values, false);
      if (Object.keys(values).length > 0)
        await m.getRepository(this.spec.entity).update({ id } as never, values as never);
      const after = await this.find(m, id);
      await audit(m, actor, 'update', this.spec.name, id, before, after);
      return this.view(after);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.write(async (m) => {
      const before = await this.find(m, id, true);
      await m.getRepository(this.spec.entity).softDelete({ id } as never);
      await audit(m, actor, 'delete', this.spec.name, id, before, null);
    });
  }

  protected async find(m: EntityManager, id: string, lock = false): Promise<E> {
    const record = await m.getRepository(this.spec.entity).findOne({
      where: { id } as never,
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!record) throw DomainErrors.notFound(this.spec.name);
    return record;
  }

  private async write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.tenant.transaction(fn);
    } catch (err) {
      const mapped = err instanceof QueryFailedError ? this.spec.mapError?.(err) : undefined;
      throw mapped ?? err;
    }
  }
}
