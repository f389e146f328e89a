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

/** One link of a refresh-token family. Only the SHA-256 of the opaque token is stored. */
@Entity({ name: 'owner_refresh_tokens' })
@Index('IDX_owner_refresh_tokens_family', ['familyId'])
@Index('IDX_owner_refresh_tokens_owner', ['ownerId'])
export class OwnerRefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => Owner, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_owner_refresh_tokens_owner' })
  owner?: Relation<Owner>;

  @Column({ name: 'family_id', type: 'uuid' })
  familyId!: string;

  @Index('UQ_owner_refresh_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Set when this token was exchanged for the next one of its family. */
  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
