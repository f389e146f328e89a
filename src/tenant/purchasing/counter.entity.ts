import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Gap-free per-tenant counters (a row lock serialises increments; a rollback gives the number back). */
@Entity({ name: 'counters' })
export class Counter {
  @PrimaryColumn({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'bigint', default: 0 })
  value!: string;
}
