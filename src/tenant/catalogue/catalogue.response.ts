import { ApiProperty } from '@nestjs/swagger';
import type { Product } from '../inventory/product.entity.js';
import type { Supplier } from '../inventory/supplier.entity.js';
import type { Warehouse } from '../inventory/warehouse.entity.js';

/** Fields every catalogue record answers with. */
export class CatalogueRecordDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: Date;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  deletedAt!: Date | null;
}

type RecordFields = Pick<CatalogueRecordDto, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
const recordFields = (r: RecordFields): RecordFields => ({
  id: r.id,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  deletedAt: r.deletedAt,
});

export class ProductDto extends CatalogueRecordDto {
  @ApiProperty()
  sku!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'Unit price in cents.' })
  priceCents!: number;

  @ApiProperty()
  reorderLevel!: number;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  supplierId!: string | null;

  static from(p: Product): ProductDto {
    return {
      ...recordFields(p),
      sku: p.sku,
      name: p.name,
      priceCents: Number(p.priceCents),
      reorderLevel: p.reorderLevel,
      supplierId: p.supplierId,
    };
  }
}

export class SupplierDto extends CatalogueRecordDto {
  @ApiProperty()
  name!: string;

  @ApiProperty({ nullable: true, type: String })
  email!: string | null;

  @ApiProperty({ nullable: true, type: String })
  phone!: string | null;

  static from(s: Supplier): SupplierDto {
    return { ...recordFields(s), name: s.name, email: s.email, phone: s.phone };
  }
}

export class WarehouseDto extends CatalogueRecordDto {
  @ApiProperty()
  name!: string;

  @ApiProperty({ nullable: true, type: String })
  location!: string | null;

  static from(w: Warehouse): WarehouseDto {
    return { ...recordFields(w), name: w.name, location: w.location };
  }
}
