import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsString, IsUUID, Length, Matches } from 'class-validator';
import { DateRangeDto, PageQueryDto } from '../../common/pagination/cursor.js';
import { Optional } from '../../common/validation/optional.decorator.js';

export class AuditLogFilterDto extends DateRangeDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The user who wrote it.' })
  @Optional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 40,
    description: 'e.g. create, update, delete, stock.in, approve',
  })
  @Optional()
  @IsString()
  @Length(1, 40)
  action?: string;

  @ApiPropertyOptional({ pattern: '^[a-z_]{1,40}$', description: 'e.g. product, user, purchase_request' })
  @Optional()
  @Matches(/^[a-z_]{1,40}$/)
  entity?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  entityId?: string;
}

export class AuditLogQueryDto extends IntersectionType(PageQueryDto, AuditLogFilterDto) {}
