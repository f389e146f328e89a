import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Relation } from 'typeorm';
import { Product } from './product.entity.js';
import { Warehouse } from './warehouse.entity.js';

/** Quantity on hand per product and warehouse. Never negative: the CHECK backs the service's own guard. */
@Entity({ name: 'stock_levels' })
@Index('IDX_stock_levels_warehouse', ['warehouseId'])
@Index('IDX_stock_levels_unmailed', ['productId'], { where: '"low_alerted" AND NOT "low_mailed"' })
@Check('CHK_stock_levels_quantity', '"quantity" >= 0')
export class StockLevel {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @PrimaryColumn({ name: 'warehouse_id', type: 'uuid' })
  warehouseId!: string;

  @ManyToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'FK_stock_levels_product' })
  product?: Relation<Product>;

  @ManyToOne(() => Warehouse, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'warehouse_id', foreignKeyConstraintName: 'FK_stock_levels_warehouse' })
  warehouse?: Relation<Warehouse>;

  @Column({ type: 'int', default: 0 })
  quantity!: number;

  /** At or under the product's reorder level after the last movement (a crossing sets it). */
  @Column({ name: 'low_alerted', type: 'boolean', default: false })
  lowAlerted!: boolean;

  /** The alert of the current low episode is out (the low-stock-alerts job sets it). */
  @Column({ name: 'low_mailed', type: 'boolean', default: true })
  lowMailed!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
