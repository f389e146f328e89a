import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
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

export class PurchaseRequestLineDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  productId!: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;

  @ApiPropertyOptional({ description: 'Minor units (cents).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  unitPriceCents?: number;
}

export class CreatePurchaseRequestDto {
  @ApiProperty({ type: [PurchaseRequestLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PurchaseRequestLineDto)
  lines!: PurchaseRequestLineDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @AttachmentsField()
  attachments?: string[];
}

export class UpdatePurchaseRequestDto {
  @ApiPropertyOptional({ type: [PurchaseRequestLineDto], description: 'Replaces all lines.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PurchaseRequestLineDto)
  lines?: PurchaseRequestLineDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @AttachmentsField()
  attachments?: string[];
}

export class RejectDto {
  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ReceiveDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  warehouseId!: string;
}

export class PurchaseRequestQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(PR_STATUSES)
  status?: PurchaseRequestStatus;
}
