import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Supplier } from './supplier.entity.js';
import { BIGINT_AS_NUMBER } from '../../common/entities/bigint-number.js';
import { SoftDeletableRecord } from '../../common/entities/soft-deletable.record.js';

/** Money is integer minor units (`priceCents`), never floating point. */
@Entity({ name: 'products' })
@Index('UQ_products_sku', ['sku'], { unique: true, where: 'deleted_at IS NULL' })
@Index('IDX_products_created', ['createdAt', 'id'])
@Index('IDX_products_supplier', ['supplierId', 'createdAt'])
@Index('IDX_products_category', ['category', 'createdAt'], { where: 'deleted_at IS NULL' })
@Check('CHK_products_price', '"price_cents" >= 0')
@Check('CHK_products_reorder', '"reorder_level" >= 0')
export class Product extends SoftDeletableRecord {
  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2000, default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category!: string | null;

  /** A number in replies and in the audit log (at most 10^12 by validation: exact). */
  @Column({ name: 'price_cents', type: 'bigint', default: 0, transformer: BIGINT_AS_NUMBER })
  priceCents!: number;

  @Column({ name: 'reorder_level', type: 'int', default: 0 })
  reorderLevel!: number;

  /** Ids of the tenant's files attached to this record. */
  @Column({ name: 'attachment_ids', type: 'uuid', array: true, default: () => "'{}'" })
  attachmentIds!: string[];

  @Column({ name: 'supplier_id', type: 'uuid', nullable: true })
  supplierId!: string | null;

  @ManyToOne(() => Supplier, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'supplier_id', foreignKeyConstraintName: 'FK_products_supplier' })
  supplier?: Relation<Supplier>;
}
