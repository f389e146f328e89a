import { Column, Entity, Index } from 'typeorm';
import { SoftDeletableRecord } from '../../common/entities/soft-deletable.record.js';

@Entity({ name: 'warehouses' })
@Index('IDX_warehouses_created', ['createdAt', 'id'])
export class Warehouse extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  location!: string | null;
}
