import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Relation } from 'typeorm';
import { PurchaseRequestLine } from './purchase-request-line.entity.js';

export const PR_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'ordered', 'received'] as const;
export type PurchaseRequestStatus = (typeof PR_STATUSES)[number];

@Entity({ name: 'purchase_requests' })
@Index('UQ_purchase_requests_number', ['number'], { unique: true })
@Index('IDX_purchase_requests_created', ['createdAt', 'id'])
@Index('IDX_purchase_requests_status', ['status', 'createdAt'])
export class PurchaseRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `PR-000001`, gap-free and sequential per tenant (see PurchaseRequestService.nextNumber). */
  @Column({ type: 'varchar', length: 20 })
  number!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: PurchaseRequestStatus;

  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId!: string;

  @Column({ name: 'approver_id', type: 'uuid', nullable: true })
  approverId!: string | null;

  @Column({ name: 'rejection_reason', type: 'varchar', length: 500, nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'received_warehouse_id', type: 'uuid', nullable: true })
  receivedWarehouseId!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  // When each decision was taken, and by whom.
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt!: Date | null;
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true }) approvedAt!: Date | null;
  @Column({ name: 'approved_by', type: 'uuid', nullable: true }) approvedBy!: string | null;
  @Column({ name: 'rejected_at', type: 'timestamptz', nullable: true }) rejectedAt!: Date | null;
  @Column({ name: 'rejected_by', type: 'uuid', nullable: true }) rejectedBy!: string | null;
  @Column({ name: 'ordered_at', type: 'timestamptz', nullable: true }) orderedAt!: Date | null;
  @Column({ name: 'received_at', type: 'timestamptz', nullable: true }) receivedAt!: Date | null;
  @Column({ name: 'received_by', type: 'uuid', nullable: true }) receivedBy!: string | null;

  /** Everyone who wrote its lines (the requester, and any editor of the draft): none of them may approve it. */
  @Column({ name: 'editor_ids', type: 'uuid', array: true, default: () => "'{}'" })
  editorIds!: string[];

  /** Ids of the tenant's files attached to this record. */
  @Column({ name: 'attachment_ids', type: 'uuid', array: true, default: () => "'{}'" })
  attachmentIds!: string[];

  @OneToMany(() => PurchaseRequestLine, (line) => line.purchaseRequest, { cascade: ['insert'] })
  lines?: Relation<PurchaseRequestLine[]>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
