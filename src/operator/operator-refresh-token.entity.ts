import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { RefreshTokenColumns } from '../common/crypto/refresh-token.columns.js';
import { Operator } from './operator.entity.js';

/** An operator's refresh token (core database). */
@Entity({ name: 'operator_refresh_tokens' })
@Index('IDX_operator_refresh_tokens_family', ['familyId'])
@Index('IDX_operator_refresh_tokens_operator', ['operatorId'])
@Index('UQ_operator_refresh_tokens_hash', ['tokenHash'], { unique: true })
export class OperatorRefreshToken extends RefreshTokenColumns {
  @Column({ name: 'operator_id', type: 'uuid' })
  operatorId!: string;

  @ManyToOne(() => Operator, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'FK_operator_refresh_tokens_operator' })
  operator?: Relation<Operator>;
}
