import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/cursor.js';
import { trim } from '../../common/validation/transforms.js';
import { Transform } from 'class-transformer';
import { AttachmentsField } from '../files/attachments.js';
import { Optional } from '../../common/validation/optional.decorator.js';

export class CatalogueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    description: 'Case-insensitive match on the name (and SKU for products).',
  })
  @Optional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class ProductQueryDto extends CatalogueQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  supplierId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'Products of this category (exact).' })
  @Optional()
  @IsString()
  @Length(1, 100)
  category?: string;
}

export class CreateSupplierDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Northwind Traders' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 254, example: 'orders@northwind.example' })
  @Optional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ maxLength: 50, example: '+1 555 0100' })
  @Optional()
  @IsString()
  @MaxLength(50)
  phone?: string;
}

export class UpdateSupplierDto extends PartialType(CreateSupplierDto, { skipNullProperties: false }) {}

export class CreateWarehouseDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Main warehouse' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 300, example: 'Rotterdam' })
  @Optional()
  @IsString()
  @MaxLength(300)
  location?: string;
}

export class UpdateWarehouseDto extends PartialType(CreateWarehouseDto, { skipNullProperties: false }) {}

export class CreateProductDto {
  @ApiProperty({ example: 'APL-RED-1KG', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'sku must be 1..64 letters, digits, dots, dashes or underscores',
  })
  sku!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Red apples, 1 kg' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Crisp, from the valley.' })
  @Optional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'fruit', nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  category?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 1_000_000_000_000,
    description: 'Price in minor units (cents); never a float.',
    example: 299,
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  priceCents?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 1_000_000_000,
    description: 'Stock at or under this level is low.',
    example: 10,
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  reorderLevel?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  supplierId?: string;

  @AttachmentsField()
  attachments?: string[];
}

export class UpdateProductDto extends PartialType(CreateProductDto, { skipNullProperties: false }) {}
