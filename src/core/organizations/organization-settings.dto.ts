import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAINTENANCE_OPERATIONS, type MaintenanceOperation } from '../../tenancy/index.js';
import { Optional } from '../../common/validation/optional.decorator.js';

const LIMIT = { type: 'integer', nullable: true, minimum: 0, description: 'null: unlimited' } as const;

/** Limits: an integer ≥ 0, or null for unlimited; an absent key keeps its value. */
export class LimitsDto {
  @ApiPropertyOptional({ ...LIMIT, maximum: 2 ** 31 - 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  maxUsers?: number | null;

  @ApiPropertyOptional({ ...LIMIT, maximum: 2 ** 31 - 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  maxProducts?: number | null;

  @ApiPropertyOptional({ ...LIMIT, maximum: 2 ** 31 - 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  maxItems?: number | null;

  @ApiPropertyOptional({ ...LIMIT, maximum: Number.MAX_SAFE_INTEGER })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  maxStorageBytes?: number | null;

  @ApiPropertyOptional({
    ...LIMIT,
    minimum: 1,
    maximum: 1_000_000,
    description: 'requests per second, every instance together; null: unlimited',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  requestsPerSecond?: number | null;
}

export class FeaturesDto {
  @ApiPropertyOptional()
  @ValidateIf((_, value) => value !== undefined) // null is not a flag
  @IsBoolean()
  purchasing?: boolean;

  @ApiPropertyOptional()
  @ValidateIf((_, value) => value !== undefined) // null is not a flag
  @IsBoolean()
  items?: boolean;

  @ApiPropertyOptional()
  @ValidateIf((_, value) => value !== undefined) // null is not a flag
  @IsBoolean()
  files?: boolean;
}

/** PATCH body: either part, each partial. */
export class SettingsPatchDto {
  @ApiPropertyOptional({ type: LimitsDto })
  @Optional()
  @ValidateNested()
  @Type(() => LimitsDto)
  limits?: LimitsDto;

  @ApiPropertyOptional({ type: FeaturesDto })
  @Optional()
  @ValidateNested()
  @Type(() => FeaturesDto)
  features?: FeaturesDto;
}

/** Limits in force, as replies carry them: every key, null for unlimited. */
export class LimitValuesDto {
  @ApiProperty(LIMIT) maxUsers!: number | null;
  @ApiProperty(LIMIT) maxProducts!: number | null;
  @ApiProperty(LIMIT) maxItems!: number | null;
  @ApiProperty(LIMIT) maxStorageBytes!: number | null;
  @ApiProperty(LIMIT) requestsPerSecond!: number | null;
}

/** Features in force, as replies carry them: every key. */
export class FeatureFlagsDto {
  @ApiProperty() purchasing!: boolean;
  @ApiProperty() items!: boolean;
  @ApiProperty() files!: boolean;
}

export class SettingsDto {
  @ApiProperty({ type: LimitValuesDto })
  limits!: LimitValuesDto;

  @ApiProperty({ type: FeatureFlagsDto })
  features!: FeatureFlagsDto;
}

export class UsageDto {
  @ApiProperty() users!: number;
  @ApiProperty() products!: number;
  @ApiProperty() items!: number;
  @ApiProperty({ description: 'bytes of stored files' }) storageBytes!: number;
  @ApiProperty({ description: 'pg_database_size of the tenant database' }) databaseBytes!: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'the latest audited change',
  })
  lastActivityAt!: string | null;
}

export class MaintenanceRequestDto {
  @ApiProperty({ enum: MAINTENANCE_OPERATIONS, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(MAINTENANCE_OPERATIONS, { each: true })
  operations!: MaintenanceOperation[];
}

export class JobAcceptedDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
}

export class MaintenanceStatusDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!:
    'queued' | 'running' | 'done' | 'failed';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class ExportStatusDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!:
    'queued' | 'running' | 'done' | 'failed';
  @ApiPropertyOptional({ description: 'Once done: downloads the archive without a token until expiresAt.' })
  url?: string;
  @ApiPropertyOptional({ format: 'date-time' }) expiresAt?: string;
}
