import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What the tenant table sorts by and cannot afford to compute per request at a thousand tenants: when a
 * tenant last had a request (written with the per-tenant figures) and its database's size (measured in the
 * background: TenantSizes).
 */
@Entity({ name: 'tenant_activity' })
export class TenantActivity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'last_request_at', type: 'timestamptz', nullable: true })
  lastRequestAt!: Date | null;

  @Column({ name: 'database_bytes', type: 'bigint', nullable: true })
  databaseBytes!: string | null;

  @Column({ name: 'bytes_measured_at', type: 'timestamptz', nullable: true })
  bytesMeasuredAt!: Date | null;
}
