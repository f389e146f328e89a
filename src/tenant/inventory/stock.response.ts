import { ApiProperty } from '@nestjs/swagger';
import { MOVEMENT_TYPES, type MovementType, type StockMovement } from './stock-movement.entity.js';

export class StockMovementDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ format: 'uuid' })
  warehouseId!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Set on transfers only.' })
  toWarehouseId!: string | null;

  @ApiProperty({ enum: MOVEMENT_TYPES })
  type!: MovementType;

  @ApiProperty()
  quantity!: number;

  @ApiProperty({ nullable: true, type: String })
  reference!: string | null;

  @ApiProperty({ nullable: true, type: String })
  note!: string | null;

  @ApiProperty({ format: 'uuid' })
  actorId!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  static from(s: StockMovement): StockMovementDto {
    return {
      id: s.id,
      productId: s.productId,
      warehouseId: s.warehouseId,
      toWarehouseId: s.toWarehouseId,
      type: s.type,
      quantity: s.quantity,
      reference: s.reference,
      note: s.note,
      actorId: s.actorId,
      createdAt: s.createdAt,
    };
  }
}

/** One product's quantity in one warehouse, with what low-stock reports need. */
export class StockLevelDto {
  @ApiProperty({ format: 'uuid' })
  productId!: string;

  @ApiProperty({ format: 'uuid' })
  warehouseId!: string;

  @ApiProperty()
  quantity!: number;

  @ApiProperty()
  reorderLevel!: number;

  @ApiProperty()
  sku!: string;

  @ApiProperty()
  productName!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: Date;
}
