import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { RefreshTokenColumns } from '../../common/crypto/refresh-token.columns.js';
import { User } from '../identity/user.entity.js';

/** A tenant user's refresh token (tenant database). */
@Entity({ name: 'refresh_tokens' })
@Index('IDX_refresh_tokens_family', ['familyId'])
@Index('IDX_refresh_tokens_user', ['userId'])
@Index('UQ_refresh_tokens_hash', ['tokenHash'], { unique: true })
export class RefreshToken extends RefreshTokenColumns {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_refresh_tokens_user' })
  user?: Relation<User>;
}
