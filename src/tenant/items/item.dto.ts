import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/cursor.js';
import { AttachmentsField } from '../files/attachments.js';
import { trim } from '../../common/validation/transforms.js';
import { Optional } from '../../common/validation/optional.decorator.js';

const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const normalizeTags = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? [...new Set(value.map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : t)))]
    : value;

export class CreateItemDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Red apples' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 10_000, example: 'Crisp, from the orchard.' })
  @Optional()
  @IsString()
  @MaxLength(10_000)
  body?: string;

  @ApiPropertyOptional({ maxItems: 20, type: [String], example: ['fruit', 'fresh'] })
  @Optional()
  @Transform(normalizeTags)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(TAG, { each: true, message: 'each tag must be 1..40 lowercase letters, digits or dashes' })
  tags?: string[];

  @AttachmentsField()
  attachments?: string[];
}

export class UpdateItemDto extends PartialType(CreateItemDto, { skipNullProperties: false }) {}

export class ItemQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description: 'Full-text search (Postgres websearch syntax); results ranked.',
  })
  @Optional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional()
  @Optional()
  @Matches(TAG)
  tag?: string;
}
