import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One action of an operator (who, what, which tenant, when, result), kept in the core database. */
@Entity({ name: 'operator_actions' })
@Index('IDX_operator_actions_created', ['createdAt'])
export class OperatorAction {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null for what the CLI does on the machine (create, disable). */
  @Column({ name: 'operator_id', type: 'uuid', nullable: true })
  operatorId!: string | null;

  @Column({ type: 'varchar', length: 254 })
  actor!: string;

  /** What was done, with its object when it is not a tenant (`create <email>` of an operator). */
  @Column({ type: 'varchar', length: 300 })
  action!: string;

  @Column({ name: 'tenant_slug', type: 'varchar', length: 40, nullable: true })
  tenantSlug!: string | null;

  /** `ok`, or the error code the action failed with. */
  @Column({ type: 'varchar', length: 40 })
  result!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
