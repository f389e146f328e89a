import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor.js';
import { DomainErrors } from '../errors/domain.errors.js';
import { appendEvent } from '../events/event-log.js';
import { StockLevel } from '../inventory/stock-level.entity.js';
import { StockMovement } from '../inventory/stock-movement.entity.js';
import type { StockService } from '../inventory/stock.service.js';

/**
 * On the receiving transaction: one line of a purchase request into its warehouse, as an `in` movement
 * referencing the request's number, with its `stock.moved` event, like any other movement — so the ledger
 * keeps summing to the levels, and reports and events see receipts. The level only rises: it may leave
 * "low", never enter it.
 */
export async function receiveLine(
  m: EntityManager,
  stock: StockService,
  actor: Actor,
  line: { productId: string; warehouseId: string; quantity: number; reference: string },
): Promise<void> {
  await stock.add(m, line.productId, line.warehouseId, line.quantity);
  const movement = await m.getRepository(StockMovement).save(
    m.getRepository(StockMovement).create({
      productId: line.productId,
      warehouseId: line.warehouseId,
      toWarehouseId: null,
      type: 'in',
      quantity: line.quantity,
      reference: line.reference,
      note: null,
      actorId: actor.user.id,
    }),
  );
  const level = await m
    .getRepository(StockLevel)
    .findOneBy({ productId: line.productId, warehouseId: line.warehouseId });
  await appendEvent(m, 'stock.moved', {
    movementId: movement.id,
    productId: line.productId,
    warehouseId: line.warehouseId,
    toWarehouseId: null,
    type: 'in',
    quantity: line.quantity,
    levels: { [`quantity@${line.warehouseId}`]: level?.quantity ?? 0 },
  });
  await stock.refreshLowFlags(m, line.productId, [line.warehouseId]);
}

/**
 * Which warehouse each line goes to: `warehouseId`, unless `overrides` names another for it. An override for
 * a line the request does not have (or a line named twice) is refused with 400.
 */
export function receivingPlan(
  lines: { id: string }[],
  warehouseId: string,
  overrides: { lineId: string; warehouseId: string }[],
): Map<string, string> {
  const plan = new Map(lines.map((l) => [l.id, warehouseId]));
  const seen = new Set<string>();
  for (const o of overrides) {
    if (!plan.has(o.lineId) || seen.has(o.lineId))
      throw DomainErrors.invalid(`lines: ${o.lineId} is not a line of this request, or is named twice`);
    seen.add(o.lineId);
    plan.set(o.lineId, o.warehouseId);
  }
  return plan;
}
