import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One error reply of a tenant (4xx or 5xx), as an instance saw it; the newest 50 per tenant are kept. */
@Entity({ name: 'tenant_recent_errors' })
@Index('IDX_tenant_recent_errors_tenant_at', ['tenantId', 'at'])
export class TenantRecentError {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 10 })
  method!: string;

  /** The route's pattern (`/api/v1/items/:id`), never the path itself: no ids or query strings. */
  @Column({ type: 'varchar', length: 200 })
  route!: string;

  @Column({ type: 'int' })
  status!: number;

  /** The problem's `code`, when the reply was one. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  code!: string | null;
}
