import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const USER_ROLES = ['admin', 'manager', 'staff', 'auditor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A user of one tenant; it exists only in that tenant's database. */
@Entity({ name: 'users' })
@Index('IDX_users_created', ['createdAt', 'id'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 72 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  /** The organization's owner (seeded at onboarding): cannot be demoted or deactivated. */
  @Column({ name: 'is_owner', type: 'boolean', default: false })
  isOwner!: boolean;

  /** Access tokens issued (iat) before this second no longer count: set by logout and password changes. */
  @Column({ name: 'tokens_valid_after', type: 'timestamptz', nullable: true })
  tokensValidAfter!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
