import { ApiProperty } from '@nestjs/swagger';
import { recordFields, SoftDeletableRecordDto } from '../../common/entities/soft-deletable-record.dto.js';
import type { Product } from '../inventory/product.entity.js';
import type { Supplier } from '../inventory/supplier.entity.js';
import { AttachmentsReply } from '../files/attachments.js';
import type { Warehouse } from '../inventory/warehouse.entity.js';

export class ProductDto extends SoftDeletableRecordDto {
  @ApiProperty()
  sku!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ nullable: true, type: String })
  category!: string | null;

  @ApiProperty({ description: 'Unit price in cents.' })
  priceCents!: number;

  @ApiProperty()
  reorderLevel!: number;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  supplierId!: string | null;

  @AttachmentsReply()
  attachments!: string[];

  static from(p: Product): ProductDto {
    return {
      ...recordFields(p),
      sku: p.sku,
      name: p.name,
      description: p.description,
      category: p.category,
      priceCents: Number(p.priceCents),
      reorderLevel: p.reorderLevel,
      supplierId: p.supplierId,
      attachments: p.attachmentIds ?? [],
    };
  }
}

export class SupplierDto extends SoftDeletableRecordDto {
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

export class WarehouseDto extends SoftDeletableRecordDto {
  @ApiProperty()
  name!: string;

  @ApiProperty({ nullable: true, type: String })
  location!: string | null;

  static from(w: Warehouse): WarehouseDto {
    return { ...recordFields(w), name: w.name, location: w.location };
  }
}
