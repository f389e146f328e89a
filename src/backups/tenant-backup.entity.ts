import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One backup of a tenant's data: an archive (TenantCopier's format) under the data dir. */
@Entity({ name: 'tenant_backups' })
@Index('IDX_tenant_backups_tenant_created', ['tenantId', 'createdAt'])
export class TenantBackup {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** The slug when it was taken (a backup outlives a rename or the tenant itself). */
  @Column({ type: 'varchar', length: 40 })
  slug!: string;

  @Column({ type: 'text' })
  path!: string;

  @Column({ type: 'bigint' })
  bytes!: string;

  /** Its tenant's schema version when it was taken. */
  @Column({ name: 'schema_version', type: 'varchar', length: 200, nullable: true })
  schemaVersion!: string | null;

  /** When it was last restored into a scratch database and found whole (BackupVerifier); null: not so. */
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  /** Why its last verification failed (it does not count as a verified backup then); null otherwise. */
  @Column({ name: 'verify_error', type: 'text', nullable: true })
  verifyError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
