import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Product } from '../inventory/product.entity.js';
import { PurchaseRequest } from './purchase-request.entity.js';

@Entity({ name: 'purchase_request_lines' })
@Index('IDX_purchase_request_lines_request', ['purchaseRequestId'])
@Check('CHK_purchase_request_lines_quantity', '"quantity" > 0')
export class PurchaseRequestLine {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'purchase_request_id', type: 'uuid' })
  purchaseRequestId!: string;

  @ManyToOne(() => PurchaseRequest, (pr) => pr.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'purchase_request_id', foreignKeyConstraintName: 'FK_purchase_request_lines_request' })
  purchaseRequest?: Relation<PurchaseRequest>;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'FK_purchase_request_lines_product' })
  product?: Relation<Product>;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ name: 'unit_price_cents', type: 'bigint', nullable: true })
  unitPriceCents!: string | null;
}
