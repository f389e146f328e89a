import { Column, Entity, Index } from 'typeorm';
import { SoftDeletableRecord } from '../../common/entities/soft-deletable.record.js';

@Entity({ name: 'suppliers' })
@Index('IDX_suppliers_created', ['createdAt', 'id'])
export class Supplier extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  phone!: string | null;
}
