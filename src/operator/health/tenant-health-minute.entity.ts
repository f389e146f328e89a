import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One instance's figures for one tenant over one minute (summed over instances when read). */
@Entity({ name: 'tenant_health_minutes' })
@Index('IDX_tenant_health_minutes_minute', ['minute'])
export class TenantHealthMinute {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  minute!: Date;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  instance!: string;

  @Column({ type: 'int', default: 0 })
  requests!: number;

  /** Replies 4xx and 5xx other than 429 and 503. */
  @Column({ type: 'int', default: 0 })
  errors!: number;

  /** 429 replies. */
  @Column({ type: 'int', default: 0 })
  limited!: number;

  /** 503 replies. */
  @Column({ type: 'int', default: 0 })
  unavailable!: number;

  /** Requests that waited for a connection of the budget. */
  @Column({ type: 'int', default: 0 })
  waits!: number;

  /** Connections opened for the tenant (a cold start of its pool). */
  @Column({ name: 'cold_connects', type: 'int', default: 0 })
  coldConnects!: number;

  /** Request counts per latency bucket (latency-buckets.ts). */
  @Column({ type: 'int', array: true })
  latency!: number[];
}
