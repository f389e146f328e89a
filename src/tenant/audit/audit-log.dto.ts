import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { DateRangeDto, PageQueryDto } from '../../common/pagination/cursor.js';

export class AuditLogFilterDto extends DateRangeDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The user who wrote it.' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 40,
    description: 'e.g. create, update, delete, stock.in, approve',
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  action?: string;

  @ApiPropertyOptional({ pattern: '^[a-z_]{1,40}$', description: 'e.g. product, user, purchase_request' })
  @IsOptional()
  @Matches(/^[a-z_]{1,40}$/)
  entity?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  entityId?: string;
}

export class AuditLogQueryDto extends IntersectionType(PageQueryDto, AuditLogFilterDto) {}
