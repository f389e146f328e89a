import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { Relation } from 'typeorm';
import { Product } from './product.entity.js';
import { Warehouse } from './warehouse.entity.js';

export const MOVEMENT_TYPES = ['in', 'out', 'adjust', 'transfer'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** An append-only record of a stock change; `adjust` records the counted level it set. */
@Entity({ name: 'stock_movements' })
@Index('IDX_stock_movements_created', ['createdAt', 'id'])
@Index('IDX_stock_movements_product', ['productId', 'createdAt'])
@Index('IDX_stock_movements_warehouse', ['warehouseId', 'createdAt'])
@Check('CHK_stock_movements_quantity', '"quantity" >= 0')
export class StockMovement {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ name: 'warehouse_id', type: 'uuid' })
  warehouseId!: string;

  @Column({ name: 'to_warehouse_id', type: 'uuid', nullable: true })
  toWarehouseId!: string | null;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'FK_stock_movements_product' })
  product?: Relation<Product>;

  @ManyToOne(() => Warehouse, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'warehouse_id', foreignKeyConstraintName: 'FK_stock_movements_warehouse' })
  warehouse?: Relation<Warehouse>;

  @ManyToOne(() => Warehouse, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_warehouse_id', foreignKeyConstraintName: 'FK_stock_movements_to_warehouse' })
  toWarehouse?: Relation<Warehouse>;

  @Column({ type: 'varchar', length: 10 })
  type!: MovementType;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ type: 'varchar', length: 100, nullable: true })
  reference!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
