import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const EVENT_TYPES = [
  'stock.moved',
  'stock.low',
  'purchase-request.draft',
  'purchase-request.submitted',
  'purchase-request.approved',
  'purchase-request.rejected',
  'purchase-request.ordered',
  'purchase-request.received',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One entry of the tenant's event log (see the EventLog migration for the ordering guarantee). */
@Entity({ name: 'events' })
@Index('IDX_events_type', ['type', 'id'])
export class EventRecord {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_events' })
  id!: string;

  @Column({ type: 'varchar', length: 60 })
  type!: EventType;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
