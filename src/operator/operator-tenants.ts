import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor-codec.js';
import { ORGANIZATION_STATUSES } from '../tenancy/index.js';
import { TenantHealthDto } from './health/tenant-health.js';

export class OperatorTenantQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Tenants on this database server.' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  server?: string;

  @ApiPropertyOptional({ enum: ORGANIZATION_STATUSES })
  @IsOptional()
  @IsIn(ORGANIZATION_STATUSES)
  status?: string;

  @ApiPropertyOptional({
    description: 'Tenants at this schema version (the name of their latest migration).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  version?: string;

  @ApiPropertyOptional({ description: 'Part of the slug, the name or the owner email (case-insensitive).' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class OperatorTenantDto {
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) ownerEmail!: string | null;
  @ApiProperty({ enum: ORGANIZATION_STATUSES }) status!: string;
  @ApiProperty() server!: string;
  @ApiProperty({ type: String, nullable: true }) schemaVersion!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class OperatorTenantDetailDto extends OperatorTenantDto {
  @ApiProperty({
    type: TenantHealthDto,
    description: 'its figures over the last hour, every instance together',
  })
  lastHour!: TenantHealthDto;
}

export class OperatorTenantPage {
  @ApiProperty({ type: [OperatorTenantDto] }) data!: OperatorTenantDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

const CURSOR = { s: 'slug' } as const;
const likeEscaped = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface Row {
  slug: string;
  name: string;
  owner_email: string | null;
  status: string;
  server: string;
  schema_version: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The fleet's tenants (spares left out), filtered, in slug order, one keyset page at a time. */
export async function listTenants(
  core: DataSource,
  query: OperatorTenantQueryDto,
): Promise<OperatorTenantPage> {
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor(query.cursor, CURSOR).s : null;
  const rows: Row[] = await core.query(
    `SELECT o.slug, o.name, w.email AS owner_email, o.status, o.server, o.schema_version, o.created_at, o.updated_at
       FROM organizations o LEFT JOIN owners w ON w.id = o.owner_id
      WHERE o.status <> 'spare'
        AND ($1::text IS NULL OR o.server = $1) AND ($2::text IS NULL OR o.status = $2)
        AND ($3::text IS NULL OR o.schema_version = $3)
        AND ($4::text IS NULL OR o.slug ILIKE $4 OR o.name ILIKE $4 OR w.email ILIKE $4)
        AND ($5::text IS NULL OR o.slug > $5)
      ORDER BY o.slug LIMIT $6`,
    [
      query.server ?? null,
      query.status ?? null,
      query.version ?? null,
      query.q ? likeEscaped(query.q) : null,
      after,
      limit + 1,
    ],
  );
  const page = rows.slice(0, limit).map(toDto);
  const more = rows.length > limit;
  return {
    data: page,
    nextCursor: more ? encodeCursor<typeof CURSOR>({ s: page[page.length - 1].slug }) : null,
  };
}

export async function findTenant(
  core: DataSource,
  slug: string,
): Promise<(OperatorTenantDto & { id: string }) | null> {
  const rows: (Row & { id: string })[] = await core.query(
    `SELECT o.id, o.slug, o.name, w.email AS owner_email, o.status, o.server, o.schema_version, o.created_at, o.updated_at
       FROM organizations o LEFT JOIN owners w ON w.id = o.owner_id WHERE o.slug = $1 AND o.status <> 'spare'`,
    [slug],
  );
  return rows[0] ? { ...toDto(rows[0]), id: rows[0].id } : null;
}

function toDto(r: Row): OperatorTenantDto {
  return {
    slug: r.slug,
    name: r.name,
    ownerEmail: r.owner_email,
    status: r.status,
    server: r.server,
    schemaVersion: r.schema_version,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
