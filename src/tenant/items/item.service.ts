import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor-codec.js';
import { Page, paginate } from '../../common/pagination/cursor.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { TenantAuthErrors } from '../auth/tenant-auth.errors.js';
import type { Actor } from '../audit/actor.js';
import { audit } from '../audit/audit.writer.js';
import { DomainErrors } from '../errors/domain.errors.js';
import { CreateItemDto, ItemQueryDto, UpdateItemDto } from './item.dto.js';
import { TenantSettings } from '../settings/tenant-settings.js';
import { attachmentValues } from '../files/attachments.js';
import { FileService } from '../files/file.service.js';
import { Item } from './item.entity.js';

const RANK_ID = { r: 'number', i: 'uuid' } as const;

export type RankedItem = Item & { rank?: number };

const INSERT_ITEM = `INSERT INTO items (owner_id, title, body, tags, attachment_ids) VALUES ($1, $2, $3, $4, $5)
  RETURNING id, created_at AS "createdAt", updated_at AS "updatedAt", deleted_at AS "deletedAt",
            owner_id AS "ownerId", title, body, tags, attachment_ids AS "attachmentIds"`;

/** Items with tags; `?q=` is Postgres full-text search over title, body and tags (GIN-indexed tsvector). */
@Injectable()
export class ItemService {
  constructor(
    private readonly tenant: TenantConnectionManager,
    private readonly settings: TenantSettings,
    private readonly files: FileService,
  ) {}

  async list(query: ItemQueryDto): Promise<Page<RankedItem>> {
    if (query.q) return this.search(query);
    return this.tenant.run((m) => {
      const qb = m.getRepository(Item).createQueryBuilder('i');
      if (query.tag) qb.andWhere('i.tags @> ARRAY[:tag]::text[]', { tag: query.tag });
      return paginate(qb, 'i', query);
    });
  }

  /** Ranked by ts_rank, then id; the cursor carries both, so paging follows the ranking. */
  private async search(query: ItemQueryDto): Promise<Page<RankedItem>> {
    const limit = query.limit ?? 20;
    const after = query.cursor ? decodeCursor(query.cursor, RANK_ID) : undefined;
    let total: number | undefined;
    const { entities, raw } = await this.tenant.run(async (m) => {
      const qb = m
        .getRepository(Item)
        .createQueryBuilder('i')
        .addSelect("ts_rank(i.search, websearch_to_tsquery('english', :q))", 'rank')
        .where("i.search @@ websearch_to_tsquery('english', :q)", { q: query.q });
      if (query.tag) qb.andWhere('i.tags @> ARRAY[:tag]::text[]', { tag: query.tag });
      if (query.includeTotal) total = await qb.clone().getCount();
      if (after) {
        qb.andWhere("(ts_rank(i.search, websearch_to_tsquery('english', :q)), i.id) < (:rank, :id)", {
          rank: after.r,
          id: after.i,
        });
      }
      return qb
        .orderBy('rank', 'DESC')
        .addOrderBy('i.id', 'DESC')
        .limit(limit + 1)
        .getRawAndEntities<{ rank: number }>();
    });
    const data = entities.slice(0, limit).map((e, n) => ({ ...e, rank: Number(raw[n].rank) }));
    const last = data[data.length - 1];
    const nextCursor =
      entities.length > limit && last
        ? encodeCursor<typeof RANK_ID>({ r: raw[limit - 1].rank, i: last.id })
        : null;
    return total === undefined ? { data, nextCursor } : { data, nextCursor, total };
  }

  async get(id: string): Promise<Item> {
    return this.tenant.run((m) => this.find(m, id));
  }

  async create(actor: Actor, dto: CreateItemDto): Promise<Item> {
    return this.tenant.transaction(async (m) => {
      await this.settings.reserve(m, 'maxItems');
      const { attachmentIds = [] } = attachmentValues(dto);
      await this.files.mustExist(m, attachmentIds);
      // One statement that returns the row as read back: the create path's round trips are its cost.
      const [item] = (await m.query(INSERT_ITEM, [
        actor.user.id,
        dto.title,
        dto.body ?? '',
        dto.tags ?? [],
        attachmentIds,
      ])) as Item[];
      await audit(m, actor, 'create', 'item', item.id, null, item);
      return item;
    });
  }

  async update(actor: Actor, id: string, dto: UpdateItemDto): Promise<Item> {
    return this.tenant.transaction(async (m) => {
      const before = await this.writable(m, actor, id);
      const values = attachmentValues(dto);
      await this.files.mustExist(m, values.attachmentIds);
      if (Object.keys(values).length > 0) await m.getRepository(Item).update({ id }, values);
      const after = await this.find(m, id);
      await audit(m, actor, 'update', 'item', id, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const before = await this.writable(m, actor, id);
      await m.getRepository(Item).softDelete({ id });
      await audit(m, actor, 'delete', 'item', id, before, null);
    });
  }

  /** Staff may change only their own items; admins and managers any. */
  private async writable(m: EntityManager, actor: Actor, id: string): Promise<Item> {
    const item = await this.find(m, id, true);
    if (actor.user.role === 'staff' && item.ownerId !== actor.user.id) {
      throw TenantAuthErrors.forbidden('Staff may change only their own items.');
    }
    return item;
  }

  private async find(m: EntityManager, id: string, lock = false): Promise<Item> {
    const item = await m
      .getRepository(Item)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!item) throw DomainErrors.notFound('item');
    return item;
  }
}
