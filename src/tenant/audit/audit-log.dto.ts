import { IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { DateRangeDto, PageQueryDto } from '../../common/pagination/cursor.js';

export class AuditLogFilterDto extends DateRangeDto {
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
}

export class AuditLogQueryDto extends IntersectionType(PageQueryDto, AuditLogFilterDto) {}
