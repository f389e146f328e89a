import { hasSqlState, SqlState, violatesConstraint } from '../../common/errors/postgres-errors.js';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Page, paginate } from '../../common/pagination/cursor.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import type { Actor } from '../audit/actor.js';
import { audit } from '../audit/audit.writer.js';
import { TenantAuthErrors } from '../auth/tenant-auth.errors.js';
import { DomainErrors } from '../errors/domain.errors.js';
import { Warehouse } from '../inventory/warehouse.entity.js';
import { StockService } from '../inventory/stock.service.js';
import { PurchaseRequestLine } from './purchase-request-line.entity.js';
import {
  CreatePurchaseRequestDto,
  PurchaseRequestLineDto,
  PurchaseRequestQueryDto,
  UpdatePurchaseRequestDto,
} from './purchase-request.dto.js';
import { EventChannel } from '../events/event-channel.js';
import { appendEvent } from '../events/event-log.js';
import { attachmentValues } from '../files/attachments.js';
import { FileService } from '../files/file.service.js';
import { PurchaseRequest, PurchaseRequestStatus } from './purchase-request.entity.js';
import { receiveLine, receivingPlan } from './receiving.js';

/** The transitions, and the status each one requires. */
const TRANSITIONS = {
  submit: { from: 'draft', to: 'submitted' },
  approve: { from: 'submitted', to: 'approved' },
  reject: { from: 'submitted', to: 'rejected' },
  order: { from: 'approved', to: 'ordered' },
  receive: { from: 'ordered', to: 'received' },
} as const satisfies Record<string, { from: PurchaseRequestStatus; to: PurchaseRequestStatus }>;

export type Transition = keyof typeof TRANSITIONS;

/**
 * Purchase requests: draft → submitted → approved | rejected; approved → ordered → received. Each
 * transition locks the request row and checks its status in the same transaction, so a concurrent or
 * repeated transition is 409 INVALID_TRANSITION, never applied twice.
 */
@Injectable()
export class PurchaseRequestService {
  constructor(
    private readonly tenant: TenantConnectionManager,
    private readonly stock: StockService,
    private readonly events: EventChannel,
    private readonly files: FileService,
  ) {}

  async create(actor: Actor, dto: CreatePurchaseRequestDto): Promise<PurchaseRequest> {
    return this.write(async (m) => {
      const number = await this.nextNumber(m);
      const pr = await m.getRepository(PurchaseRequest).save(
        m.getRepository(PurchaseRequest).create({
          number,
          status: 'draft',
          requesterId: actor.user.id,
          editorIds: [actor.user.id],
          note: dto.note ?? null,
          attachmentIds: attachmentValues(dto).attachmentIds ?? [],
        }),
      );
      await this.files.mustExist(m, dto.attachments);
      await this.replaceLines(m, pr.id, dto.lines);
      const created = await this.load(m, pr.id);
      await audit(m, actor, 'create', 'purchase_request', pr.id, null, snapshot(created));
      await appendEvent(m, 'purchase-request.draft', { id: pr.id, number, from: null, to: 'draft' });
      return created;
    });
  }

  async update(actor: Actor, id: string, dto: UpdatePurchaseRequestDto): Promise<PurchaseRequest> {
    return this.write(async (m) => {
      const before = await this.load(m, id, true);
      mayWriteDraft(actor, before);
      if (before.status !== 'draft') throw DomainErrors.invalidTransition(before.status, 'edited');
      if (dto.note !== undefined) await m.getRepository(PurchaseRequest).update({ id }, { note: dto.note });
      const { attachmentIds } = attachmentValues(dto);
      if (attachmentIds) {
        await this.files.mustExist(m, attachmentIds);
        await m.getRepository(PurchaseRequest).update({ id }, { attachmentIds });
      }
      if (dto.lines) {
        await this.replaceLines(m, id, dto.lines);
        const editors = [...new Set([...before.editorIds, actor.user.id])];
        await m.getRepository(PurchaseRequest).update({ id }, { editorIds: editors });
      }
      const after = await this.load(m, id);
      await audit(m, actor, 'update', 'purchase_request', id, snapshot(before), snapshot(after));
      return after;
    });
  }

  async transition(
    actor: Actor,
    id: string,
    name: Transition,
    extra: { reason?: string; warehouseId?: string; lines?: { lineId: string; warehouseId: string }[] } = {},
  ) {
    const { from, to } = TRANSITIONS[name];
    return this.write(async (m) => {
      const before = await this.load(m, id, true);
      if (name === 'submit') mayWriteDraft(actor, before);
      if (before.status !== from) throw DomainErrors.invalidTransition(before.status, to);
      const changes: Partial<PurchaseRequest> = { status: to, ...decision(name, actor.user.id, new Date()) };
      if (name === 'approve' || name === 'reject') {
        // Nobody decides on a request they asked for or whose lines they wrote.
        if (before.requesterId === actor.user.id || before.editorIds.includes(actor.user.id))
          throw DomainErrors.selfApproval();
        changes.approverId = actor.user.id;
      }
      if (name === 'reject') changes.rejectionReason = extra.reason ?? null;
      if (name === 'receive') {
        const into = receivingPlan(before.lines ?? [], extra.warehouseId!, extra.lines ?? []);
        for (const warehouseId of new Set(into.values()))
          if (!(await m.getRepository(Warehouse).existsBy({ id: warehouseId })))
            throw DomainErrors.notFound('warehouse');
        changes.receivedWarehouseId = extra.warehouseId!;
        for (const line of before.lines ?? [])
          await receiveLine(m, this.stock, actor, {
            productId: line.productId,
            warehouseId: into.get(line.id)!,
            quantity: line.quantity,
            reference: before.number,
          });
      }
      await m.getRepository(PurchaseRequest).update({ id }, changes);
      const after = await this.load(m, id);
      await audit(m, actor, name, 'purchase_request', id, snapshot(before), snapshot(after));
      await appendEvent(m, `purchase-request.${to}`, { id, number: before.number, from, to });
      return after;
    });
  }

  async list(query: PurchaseRequestQueryDto): Promise<Page<PurchaseRequest>> {
    return this.tenant.run(async (m) => {
      const qb = m.getRepository(PurchaseRequest).createQueryBuilder('p');
      if (query.status) qb.andWhere('p.status = :status', { status: query.status });
      const page = await paginate(qb, 'p', query);
      // Every request with its lines, as one request is read: one more query for the page, not one per row.
      const lines = page.data.length
        ? await m
            .getRepository(PurchaseRequestLine)
            .findBy({ purchaseRequestId: In(page.data.map((p) => p.id)) })
        : [];
      for (const pr of page.data) pr.lines = lines.filter((l) => l.purchaseRequestId === pr.id);
      return page;
    });
  }

  async get(id: string): Promise<PurchaseRequest> {
    return this.tenant.run((m) => this.load(m, id));
  }

  /** Gap-free: the counter row is locked by the UPDATE and the increment rolls back with a failed create. */
  private async nextNumber(m: EntityManager): Promise<string> {
    const [rows] = await m.query(
      `UPDATE counters SET value = value + 1 WHERE name = 'purchase_request' RETURNING value`,
    );
    return `PR-${String(rows[0].value).padStart(6, '0')}`;
  }

  private async replaceLines(m: EntityManager, id: string, lines: PurchaseRequestLineDto[]): Promise<void> {
    // Only products in the catalogue: a soft-deleted one is as good as missing (the foreign key alone lets it in).
    const wanted = [...new Set(lines.map((l) => l.productId))];
    const [{ n }] = await m.query(
      'SELECT count(*)::int AS n FROM products WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL',
      [wanted],
    );
    if (n !== wanted.length) throw DomainErrors.notFound('product');
    await m.getRepository(PurchaseRequestLine).delete({ purchaseRequestId: id });
    await m.getRepository(PurchaseRequestLine).insert(
      lines.map((l) => ({
        purchaseRequestId: id,
        productId: l.productId,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents == null ? null : String(l.unitPriceCents),
      })),
    );
  }

  private async load(m: EntityManager, id: string, lock = false): Promise<PurchaseRequest> {
    if (lock)
      await m.getRepository(PurchaseRequest).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    const pr = await m.getRepository(PurchaseRequest).findOne({ where: { id }, relations: { lines: true } });
    if (!pr) throw DomainErrors.notFound('purchase_request');
    return pr;
  }

  /** A write transaction; its events are announced once it committed. */
  private async write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      const result = await this.tenant.transaction(fn);
      await this.events.published();
      return result;
    } catch (err) {
      if (violatesConstraint(err, SqlState.FOREIGN_KEY_VIOLATION, 'FK_purchase_request_lines_product'))
        throw DomainErrors.notFound('product');
      // Receiving lines into a level that cannot hold them.
      if (hasSqlState(err, SqlState.NUMERIC_VALUE_OUT_OF_RANGE)) throw DomainErrors.quantityOutOfRange();
      throw err;
    }
  }
}

/** The decision fields a transition sets: when, and (for decisions a person answers for) by whom. */
function decision(name: Transition, by: string, at: Date): Partial<PurchaseRequest> {
  switch (name) {
    case 'submit':
      return { submittedAt: at };
    case 'approve':
      return { approvedAt: at, approvedBy: by };
    case 'reject':
      return { rejectedAt: at, rejectedBy: by };
    case 'order':
      return { orderedAt: at };
    case 'receive':
      return { receivedAt: at, receivedBy: by };
  }
}

/** What the audit log records of a request: its fields and its lines. */
function snapshot(pr: PurchaseRequest): object {
  const { lines, ...fields } = pr;
  return { ...fields, lineItems: (lines ?? []).map((l) => `${l.productId}×${l.quantity}`).sort() };
}

/** Only its requester, or an admin, edits or submits a draft. */
function mayWriteDraft(actor: Actor, pr: PurchaseRequest): void {
  if (actor.user.role !== 'admin' && pr.requesterId !== actor.user.id)
    throw TenantAuthErrors.forbidden('Only the requester or an admin may edit or submit this request.');
}
