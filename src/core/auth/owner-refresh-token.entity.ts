import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { RefreshTokenColumns } from '../../common/crypto/refresh-token.columns.js';
import { Owner } from '../owners/owner.entity.js';

/** An owner's refresh token (core database). */
@Entity({ name: 'owner_refresh_tokens' })
@Index('IDX_owner_refresh_tokens_family', ['familyId'])
@Index('IDX_owner_refresh_tokens_owner', ['ownerId'])
@Index('UQ_owner_refresh_tokens_hash', ['tokenHash'], { unique: true })
export class OwnerRefreshToken extends RefreshTokenColumns {
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => Owner, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_owner_refresh_tokens_owner' })
  owner?: Relation<Owner>;
}
