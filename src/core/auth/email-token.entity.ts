import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { Relation } from 'typeorm';
import { Owner } from '../owners/owner.entity.js';

export type EmailTokenPurpose = 'verify-email' | 'reset-password';

/** Single-use token mailed to an owner; only its SHA-256 is stored. */
@Entity({ name: 'email_tokens' })
@Index('IDX_email_tokens_owner', ['ownerId'])
export class EmailToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => Owner, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_email_tokens_owner' })
  owner?: Relation<Owner>;

  @Column({ type: 'varchar', length: 20 })
  purpose!: EmailTokenPurpose;

  @Index('UQ_email_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
