import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const SERVER_STATUSES = ['active', 'draining'] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];

/** The server `DATABASE_URL` names: registered by the migration, its URL never stored. */
export const PRIMARY_SERVER = 'primary';

/**
 * A Postgres server tenant databases live on (docs/reference/scale-out.md). URLs are stored encrypted
 * (server-secrets.ts): they carry a superuser's password. `admin_url` is null for the primary, whose URL
 * is the service's own `DATABASE_URL` (and its pooler `TENANT_POOLER_URL`).
 */
@Entity({ name: 'database_servers' })
export class DatabaseServer {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ name: 'admin_url', type: 'text', nullable: true })
  adminUrl!: string | null;

  @Column({ name: 'pooler_url', type: 'text', nullable: true })
  poolerUrl!: string | null;

  /** `draining`: no new tenant is placed on it. */
  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: ServerStatus;

  /** Tenants it is meant to hold; null: DEFAULT_SERVER_CAPACITY. */
  @Column({ type: 'integer', nullable: true })
  capacity!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
