import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/cursor.js';
import { AttachmentsField } from '../files/attachments.js';
import { PR_STATUSES, type PurchaseRequestStatus } from './purchase-request.entity.js';
import { Optional } from '../../common/validation/optional.decorator.js';

export class PurchaseRequestLineDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  productId!: string;

  @ApiProperty({ type: 'integer', maximum: 1_000_000, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 1_000_000_000_000,
    description: 'Minor units (cents).',
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  unitPriceCents?: number;
}

export class CreatePurchaseRequestDto {
  @ApiProperty({ maxItems: 100, type: [PurchaseRequestLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PurchaseRequestLineDto)
  lines!: PurchaseRequestLineDto[];

  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @AttachmentsField()
  attachments?: string[];
}

export class UpdatePurchaseRequestDto {
  @ApiPropertyOptional({ maxItems: 100, type: [PurchaseRequestLineDto], description: 'Replaces all lines.' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PurchaseRequestLineDto)
  lines?: PurchaseRequestLineDto[];

  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @AttachmentsField()
  attachments?: string[];
}

export class RejectDto {
  @ApiProperty({ minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** One line of the request received into another warehouse than the request's. */
export class ReceiveLineDto {
  @ApiProperty({ format: 'uuid', description: 'A line of this request (its `id`).' })
  @IsUUID()
  lineId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  warehouseId!: string;
}

export class ReceiveDto {
  @ApiProperty({ format: 'uuid', description: 'Where the lines go, unless `lines` names another for one.' })
  @IsUUID()
  warehouseId!: string;

  @ApiPropertyOptional({
    maxItems: 100,
    type: [ReceiveLineDto],
    description: 'A delivery split across warehouses.',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReceiveLineDto)
  lines?: ReceiveLineDto[];
}

export class PurchaseRequestQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PR_STATUSES })
  @Optional()
  @IsIn(PR_STATUSES)
  status?: PurchaseRequestStatus;
}
