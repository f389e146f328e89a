import { Injectable } from '@nestjs/common';
import { hasSqlState, SqlState } from '../../common/errors/postgres-errors.js';
import { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor-codec.js';
import { Page, paginate } from '../../common/pagination/cursor.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import type { Actor } from '../audit/actor.js';
import { audit } from '../audit/audit.writer.js';
import { DomainErrors, type DomainRecord } from '../errors/domain.errors.js';
import { Product } from './product.entity.js';
import { StockLevel } from './stock-level.entity.js';
import { StockMovement } from './stock-movement.entity.js';
import { CreateMovementDto, MovementQueryDto, StockLevelQueryDto } from './stock.dto.js';
import type { StockLevelDto } from './stock.response.js';
import { Warehouse } from './warehouse.entity.js';
import { LowStockAlertsJob } from '../jobs/low-stock-alerts.job.js';
import { EventChannel } from '../events/event-channel.js';
import { appendEvent } from '../events/event-log.js';

const LEVEL_KEY = { p: 'uuid', w: 'uuid' } as const;

/** A level that a movement brought to or under its product's reorder level. */
export interface LowCrossing {
  productId: string;
  warehouseId: string;
  quantity: number;
  reorderLevel: number;
}

/**
 * Stock changes. Every decision that could overdraw is taken inside the transaction that writes it: an
 * `out` is one conditional UPDATE (`… WHERE quantity >= n`), a transfer locks both level rows in a fixed
 * order (no deadlock between A→B and B→A) and writes both sides or neither.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly tenant: TenantConnectionManager,
    private readonly lowStock: LowStockAlertsJob,
    private readonly events: EventChannel,
  ) {}

  async move(actor: Actor, dto: CreateMovementDto): Promise<StockMovement> {
    if (dto.type !== 'adjust' && dto.quantity < 1) throw DomainErrors.invalid('quantity must be at least 1');
    if (dto.type !== 'transfer' && dto.toWarehouseId !== undefined) {
      throw DomainErrors.invalid('toWarehouseId belongs to a transfer only');
    }
    if (dto.type === 'transfer' && dto.toWarehouseId === dto.warehouseId) {
      throw DomainErrors.invalid('a transfer needs two different warehouses');
    }
    let crossed = false;
    const done = await this.withinRange(() =>
      this.tenant.transaction(async (m) => {
        await this.mustExist(m, Product, dto.productId, 'product');
        await this.mustExist(m, Warehouse, dto.warehouseId, 'warehouse');
        if (dto.type === 'transfer') await this.mustExist(m, Warehouse, dto.toWarehouseId!, 'warehouse');
        const before = await this.levels(m, dto);
        switch (dto.type) {
          case 'in':
            await this.add(m, dto.productId, dto.warehouseId, dto.quantity);
            break;
          case 'out':
            await this.take(m, dto.productId, dto.warehouseId, dto.quantity);
            break;
          case 'adjust':
            await this.set(m, dto.productId, dto.warehouseId, dto.quantity);
            break;
          case 'transfer':
            await this.transfer(m, dto.productId, dto.warehouseId, dto.toWarehouseId!, dto.quantity);
            break;
        }
        const movement = await m.getRepository(StockMovement).save(
          m.getRepository(StockMovement).create({
            productId: dto.productId,
            warehouseId: dto.warehouseId,
            toWarehouseId: dto.type === 'transfer' ? dto.toWarehouseId! : null,
            type: dto.type,
            quantity: dto.quantity,
            reference: dto.reference ?? null,
            note: dto.note ?? null,
            actorId: actor.user.id,
          }),
        );
        const levels = await this.levels(m, dto);
        await audit(m, actor, `stock.${dto.type}`, 'stock_movement', movement.id, before, levels);
        await appendEvent(m, 'stock.moved', {
          movementId: movement.id,
          productId: dto.productId,
          warehouseId: dto.warehouseId,
          toWarehouseId: movement.toWarehouseId,
          type: dto.type,
          quantity: dto.quantity,
          levels,
        });
        const crossings = await this.refreshLowFlags(m, dto.productId, [dto.warehouseId, dto.toWarehouseId]);
        for (const crossing of crossings) await appendEvent(m, 'stock.low', { ...crossing });
        crossed = crossings.length > 0;
        return movement;
      }),
    );
    await this.events.published();
    if (crossed) await this.lowStock.crossed();
    return done;
  }

  /**
   * On the writing transaction, after levels changed: records whether each touched level is at or under its
   * product's reorder level. Returns the levels that crossed into it (their alert is then due, once each).
   */
  async refreshLowFlags(
    m: EntityManager,
    productId: string,
    warehouseIds: (string | null | undefined)[],
  ): Promise<LowCrossing[]> {
    const [rows]: [(LowCrossing & { low: boolean })[], number] = await m.query(
      `UPDATE stock_levels l
          SET low_alerted = l.quantity <= p.reorder_level, low_mailed = NOT (l.quantity <= p.reorder_level)
         FROM products p
        WHERE p.id = l.product_id AND l.product_id = $1 AND l.warehouse_id = ANY($2::uuid[])
          AND l.low_alerted IS DISTINCT FROM (l.quantity <= p.reorder_level)
        RETURNING l.low_alerted AS low, l.product_id AS "productId", l.warehouse_id AS "warehouseId",
                  l.quantity, p.reorder_level AS "reorderLevel"`,
      [productId, warehouseIds.filter((w): w is string => !!w)],
    );
    return rows.filter((r) => r.low).map(({ low: _low, ...crossing }) => crossing);
  }

  /** An int4 stock level that would overflow is 409 QUANTITY_OUT_OF_RANGE, never a database error. */
  private async withinRange<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (hasSqlState(err, SqlState.NUMERIC_VALUE_OUT_OF_RANGE)) throw DomainErrors.quantityOutOfRange();
      throw err;
    }
  }

  /** `in` on the caller's transaction (also used by receiving a purchase request). */
  async add(m: EntityManager, productId: string, warehouseId: string, quantity: number): Promise<void> {
    await m.query(
      `INSERT INTO stock_levels (product_id, warehouse_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT (product_id, warehouse_id) DO UPDATE SET quantity = stock_levels.quantity + EXCLUDED.quantity, updated_at = now()`,
      [productId, warehouseId, quantity],
    );
  }

  private async take(
    m: EntityManager,
    productId: string,
    warehouseId: string,
    quantity: number,
  ): Promise<void> {
    const [rows] = await m.query(
      `UPDATE stock_levels SET quantity = quantity - $3, updated_at = now()
        WHERE product_id = $1 AND warehouse_id = $2 AND quantity >= $3 RETURNING quantity`,
      [productId, warehouseId, quantity],
    );
    if (rows.length === 0) throw DomainErrors.insufficientStock(await this.onHand(m, productId, warehouseId));
  }

  private async set(
    m: EntityManager,
    productId: string,
    warehouseId: string,
    quantity: number,
  ): Promise<void> {
    await m.query(
      `INSERT INTO stock_levels (product_id, warehouse_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT (product_id, warehouse_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()`,
      [productId, warehouseId, quantity],
    );
  }

  private async transfer(
    m: EntityManager,
    productId: string,
    from: string,
    to: string,
    quantity: number,
  ): Promise<void> {
    await m.query(
      `INSERT INTO stock_levels (product_id, warehouse_id, quantity) VALUES ($1, $2, 0), ($1, $3, 0) ON CONFLICT DO NOTHING`,
      [productId, from, to],
    );
    // Lock both rows in warehouse-id order, whatever the direction of the transfer.
    await m.query(
      `SELECT 1 FROM stock_levels WHERE product_id = $1 AND warehouse_id IN ($2, $3) ORDER BY warehouse_id FOR UPDATE`,
      [productId, from, to],
    );
    await this.take(m, productId, from, quantity);
    await this.add(m, productId, to, quantity);
  }

  private async onHand(m: EntityManager, productId: string, warehouseId: string): Promise<number> {
    const level = await m.getRepository(StockLevel).findOneBy({ productId, warehouseId });
    return level?.quantity ?? 0;
  }

  private async levels(m: EntityManager, dto: CreateMovementDto): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const warehouseId of [dto.warehouseId, dto.toWarehouseId].filter((w): w is string => !!w)) {
      result[`quantity@${warehouseId}`] = await this.onHand(m, dto.productId, warehouseId);
    }
    return result;
  }

  private async mustExist(
    m: EntityManager,
    entity: typeof Product | typeof Warehouse,
    id: string,
    name: DomainRecord,
  ): Promise<void> {
    if (!(await m.getRepository(entity).existsBy({ id }))) throw DomainErrors.notFound(name);
  }

  async movements(query: MovementQueryDto): Promise<Page<StockMovement>> {
    return this.tenant.run((m) => {
      const qb = m.getRepository(StockMovement).createQueryBuilder('s');
      if (query.productId) qb.andWhere('s.product_id = :productId', { productId: query.productId });
      if (query.warehouseId)
        qb.andWhere('(s.warehouse_id = :w OR s.to_warehouse_id = :w)', { w: query.warehouseId });
      if (query.type) qb.andWhere('s.type = :type', { type: query.type });
      if (query.from) qb.andWhere('s.created_at >= :from', { from: query.from });
      if (query.to) qb.andWhere('s.created_at < :to', { to: query.to });
      return paginate(qb, 's', query);
    });
  }

  async movement(id: string): Promise<StockMovement> {
    const found = await this.tenant.run((m) => m.getRepository(StockMovement).findOneBy({ id }));
    if (!found) throw DomainErrors.notFound('stock_movement');
    return found;
  }

  /** Levels (optionally only those at or under the product's reorder level), keyset-paginated. */
  async stockLevels(query: StockLevelQueryDto, lowOnly: boolean): Promise<Page<StockLevelDto>> {
    const limit = query.limit ?? 20;
    const after = query.cursor ? decodeCursor(query.cursor, LEVEL_KEY) : undefined;
    let total: number | undefined;
    const rows: StockLevelDto[] = await this.tenant.run(async (m) => {
      const qb = m
        .createQueryBuilder()
        .select([
          'l.product_id AS "productId"',
          'l.warehouse_id AS "warehouseId"',
          'l.quantity AS quantity',
          'p.reorder_level AS "reorderLevel"',
          'p.sku AS sku',
          'p.name AS "productName"',
          'l.updated_at AS "updatedAt"',
        ])
        .from(StockLevel, 'l')
        .innerJoin(Product, 'p', 'p.id = l.product_id AND p.deleted_at IS NULL')
        .innerJoin(Warehouse, 'w', 'w.id = l.warehouse_id AND w.deleted_at IS NULL');
      if (lowOnly) qb.andWhere('l.quantity <= p.reorder_level');
      if (query.productId) qb.andWhere('l.product_id = :productId', { productId: query.productId });
      if (query.warehouseId) qb.andWhere('l.warehouse_id = :warehouseId', { warehouseId: query.warehouseId });
      if (query.includeTotal) total = await qb.clone().getCount();
      if (after) qb.andWhere('(l.product_id, l.warehouse_id) > (:ap, :aw)', { ap: after.p, aw: after.w });
      return qb
        .orderBy('l.product_id')
        .addOrderBy('l.warehouse_id')
        .limit(limit + 1)
        .getRawMany();
    });
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor<typeof LEVEL_KEY>({ p: last.productId, w: last.warehouseId })
        : null;
    return total === undefined ? { data, nextCursor } : { data, nextCursor, total };
  }
}
