import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, ValidateBy } from 'class-validator';
import { isValidSlug, SLUG_PATTERN, Organization, ORGANIZATION_STATUSES } from '../../tenancy/index.js';
import { trim } from '../../common/validation/transforms.js';
import { Optional } from '../../common/validation/optional.decorator.js';

export class CreateOrganizationDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Acme Corp' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({
    example: 'acme',
    pattern: SLUG_PATTERN.source,
    description: 'Derived from the name when omitted.',
  })
  @Optional()
  @IsString()
  @ValidateBy({
    name: 'isSlug',
    validator: {
      validate: (value: unknown) => isValidSlug(value),
      defaultMessage: () => `slug must match ${SLUG_PATTERN.source} and not be a reserved word`,
    },
  })
  slug?: string;
}

export class DeleteOrganizationDto {
  @ApiProperty({ minLength: 1, maxLength: 64, description: 'The slug again, to confirm.' })
  @IsString()
  @Length(1, 64)
  confirm!: string;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  slug!: string;

  @ApiProperty({ enum: ORGANIZATION_STATUSES })
  status!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The latest tenant migration applied to its database.',
  })
  schemaVersion!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was deleted (status `deleted`: restorable within TENANT_DELETE_GRACE_DAYS).',
  })
  deletedAt!: string | null;

  static from(org: Organization): OrganizationDto {
    return {
      id: org.id,
      name: org.name,
      slug: org.slug,
      status: org.status,
      schemaVersion: org.schemaVersion,
      createdAt: new Date(org.createdAt).toISOString(),
      deletedAt: org.deletedAt ? new Date(org.deletedAt).toISOString() : null,
    };
  }
}
