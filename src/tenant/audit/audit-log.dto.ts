import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/cursor.js';

export class AuditLogFilterDto {
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 40)
  action?: string;

  @IsOptional()
  @Matches(/^[a-z_]{1,40}$/)
  entity?: string;

  @IsOptional()
  @IsUUID()
  entityId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  to?: string;
}

export class AuditLogQueryDto extends IntersectionType(PageQueryDto, AuditLogFilterDto) {}
