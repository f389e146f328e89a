import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const FLEET_RUN_STATUSES = ['running', 'paused', 'completed'] as const;
export type FleetRunStatus = (typeof FLEET_RUN_STATUSES)[number];

export const FLEET_TENANT_RESULTS = ['pending', 'migrated', 'up-to-date', 'failed', 'skipped'] as const;
export type FleetTenantResult = (typeof FLEET_TENANT_RESULTS)[number];

/** A fleet migration run in waves (docs/reference/fleet-rollouts.md), resumable from any process. */
@Entity({ name: 'fleet_runs' })
@Index('IDX_fleet_runs_created', ['createdAt'])
export class FleetRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: FleetRunStatus;

  /** Who started it: an operator's email, or `cli` with the machine user. */
  @Column({ name: 'created_by', type: 'varchar', length: 254 })
  createdBy!: string;

  /** The version the run migrates to (the last migration of the build that started it). */
  @Column({ name: 'target_version', type: 'varchar', length: 200, nullable: true })
  targetVersion!: string | null;

  @Column({ name: 'max_failure_rate', type: 'double precision' })
  maxFailureRate!: number;

  @Column({ type: 'integer' })
  concurrency!: number;

  /** The wave percentages it was planned with (`--waves`), and its canaries (`--canary`). */
  @Column({ type: 'jsonb' })
  plan!: { waves: number[]; canaries: string[] };

  @Column({ name: 'paused_reason', type: 'text', nullable: true })
  pausedReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One tenant of a fleet run: its wave and what happened to it. */
@Entity({ name: 'fleet_run_tenants' })
@Index('IDX_fleet_run_tenants_wave', ['runId', 'wave'])
export class FleetRunTenant {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 40 })
  slug!: string;

  @Column({ type: 'integer' })
  wave!: number;

  @Column({ name: 'wave_name', type: 'varchar', length: 16 })
  waveName!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  result!: FleetTenantResult;

  @Column({ name: 'from_version', type: 'varchar', length: 200, nullable: true })
  fromVersion!: string | null;

  @Column({ name: 'to_version', type: 'varchar', length: 200, nullable: true })
  toVersion!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
