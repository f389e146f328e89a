import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';

/** `spare`: a database provisioned ahead of demand, not yet anyone's (see TenantSparePool). */
export const ORGANIZATION_STATUSES = [
  'spare',
  'provisioning',
  /** A restore or clone being loaded (TenantCopier); answers 503 TENANT_NOT_READY until it is active. */
  'restoring',
  'active',
  'suspended',
  'failed',
  'deleted',
  'deleting',
  /** Being copied to another server (TenantMover); answers 503 TENANT_NOT_READY until it serves again. */
  'moving',
] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

/**
 * The tenant catalog: one row per organization, naming the database (and role) that holds its data.
 * The id is chosen by the provisioner before anything is created, so every step can be retried.
 */
@Entity({ name: 'organizations' })
@Index('IDX_organizations_owner', ['ownerId', 'createdAt', 'id'])
@Index('IDX_organizations_deleted', ['deletedAt'], { where: `"status" = 'deleted'` })
export class Organization {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Index('UQ_organizations_slug', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  slug!: string;

  /** The host's owner, by id (no relation into the host's tables); null only for a spare. */
  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: OrganizationStatus;

  /** Database and login role of the tenant (derived from the id, never from the slug). */
  @Column({ name: 'db_name', type: 'varchar', length: 63 })
  dbName!: string;

  /** The server its database lives on (`database_servers`). */
  @Column({ type: 'varchar', length: 40, default: 'primary' })
  server!: string;

  @ManyToOne('DatabaseServer', { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'server',
    referencedColumnName: 'name',
    foreignKeyConstraintName: 'FK_organizations_server',
  })
  databaseServer?: unknown;

  /** While `moving`: the server it is being copied to (a failed or abandoned move is undone from this). */
  @Column({ name: 'moving_to', type: 'varchar', length: 40, nullable: true })
  movingTo!: string | null;

  /** When a move last put its database on `server` (null: it has been there since it was made). */
  @Column({ name: 'placed_at', type: 'timestamptz', nullable: true })
  placedAt!: Date | null;

  /** The name of the latest tenant migration applied to its database. */
  @Column({ name: 'schema_version', type: 'varchar', length: 200, nullable: true })
  schemaVersion!: string | null;

  /** The application's per-organization settings (opaque to the engine; carried by the catalog). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings!: Record<string, unknown>;

  /** When the owner deleted it (status `deleted`): restorable until the grace has passed, then purged. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
