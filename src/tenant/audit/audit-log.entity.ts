import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export interface FieldChange {
  before: unknown;
  after: unknown;
}

/** Append-only: a trigger refuses UPDATE and DELETE (see the migration); no route changes it either. */
@Entity({ name: 'audit_logs' })
@Index('IDX_audit_logs_created', ['createdAt', 'id'])
@Index('IDX_audit_logs_entity', ['entity', 'entityId', 'createdAt'])
@Index('IDX_audit_logs_actor', ['actorId', 'createdAt'])
@Index('IDX_audit_logs_action', ['action', 'createdAt'])
export class AuditLog {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ type: 'varchar', length: 40 })
  entity!: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  changes!: Record<string, FieldChange>;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  /** The client's IP, as TRUST_PROXY decides it. */
  @Column({ name: 'client_ip', type: 'varchar', length: 45, nullable: true })
  clientIp!: string | null;

  /** Its User-Agent, cut to 200 characters. */
  @Column({ name: 'user_agent', type: 'varchar', length: 200, nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
