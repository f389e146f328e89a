import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DateRangeDto, PageQueryDto } from '../../common/pagination/cursor.js';
import { MOVEMENT_TYPES, type MovementType } from './stock-movement.entity.js';
import { Optional } from '../../common/validation/optional.decorator.js';

export class CreateMovementDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  productId!: string;

  @ApiProperty({ format: 'uuid', description: 'For a transfer: the source warehouse.' })
  @IsUUID()
  warehouseId!: string;

  @ApiProperty({ enum: MOVEMENT_TYPES, description: '`adjust` sets the counted level to `quantity`.' })
  @IsIn(MOVEMENT_TYPES)
  type!: MovementType;

  @ApiProperty({
    type: 'integer',
    maximum: 1_000_000_000,
    minimum: 0,
    description: 'A positive integer; 0 only for `adjust` (counted empty).',
  })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  quantity!: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for `transfer`.' })
  @ValidateIf((o: CreateMovementDto) => o.type === 'transfer' || o.toWarehouseId !== undefined)
  @IsUUID()
  toWarehouseId?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @Optional()
  @IsString()
  @MaxLength(100)
  reference?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class StockLevelQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  productId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'For movements: as the source or a transfer’s destination.',
  })
  @Optional()
  @IsUUID()
  warehouseId?: string;
}

/** A movement matches `warehouseId` as its source or its transfer destination. */
export class MovementQueryDto extends IntersectionType(StockLevelQueryDto, DateRangeDto) {
  @ApiPropertyOptional({ enum: MOVEMENT_TYPES })
  @Optional()
  @IsIn(MOVEMENT_TYPES)
  type?: MovementType;
}
