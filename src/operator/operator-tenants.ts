import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, invalidCursor } from '../common/pagination/cursor-codec.js';
import { PageQueryDto } from '../common/pagination/cursor.js';
import { ORGANIZATION_STATUSES } from '../tenancy/index.js';
import { quantileMs } from './health/latency-buckets.js';
import { RecentErrorDto } from './health/recent-errors.js';
import { TenantHealthDto } from './health/tenant-health.js';
import { Optional } from '../common/validation/optional.decorator.js';

export const TENANT_SORTS = ['size', 'load', 'activity'] as const;
export type TenantSort = (typeof TENANT_SORTS)[number];

/** The list query every list takes (limit 1–100, default 20; cursor; includeTotal), and the fleet's filters. */
export class OperatorTenantQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Tenants on this database server.' })
  @Optional()
  @IsString()
  @Length(1, 40)
  server?: string;

  @ApiPropertyOptional({ enum: ORGANIZATION_STATUSES })
  @Optional()
  @IsIn(ORGANIZATION_STATUSES)
  status?: string;

  @ApiPropertyOptional({
    description: 'Tenants at this schema version (the name of their latest migration).',
  })
  @Optional()
  @IsString()
  @Length(1, 200)
  version?: string;

  @ApiPropertyOptional({
    enum: TENANT_SORTS,
    description:
      'size: database bytes (measured every 5 minutes); load: requests over the last 15 minutes; activity: ' +
      'last request. Unset: slug order.',
  })
  @Optional()
  @IsIn(TENANT_SORTS)
  sort?: TenantSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'default: desc with `sort`, asc in slug order' })
  @Optional()
  @IsIn(['asc', 'desc'])
  declare order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'Part of the slug, the name or the owner email (case-insensitive).' })
  @Optional()
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
  @ApiProperty({ type: 'integer', nullable: true, description: 'its database, measured every 5 minutes' })
  databaseBytes!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'its last request' })
  lastActivityAt!: string | null;
  @ApiProperty({ description: 'requests per minute over the last 15 minutes, every instance together' })
  requestsPerMinute!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'p99 latency over the last 15 minutes (bucket bound)',
  })
  p99Ms!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastBackupAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastVerifiedRestoreAt!: string | null;
}

export class OperatorTenantDetailDto extends OperatorTenantDto {
  @ApiProperty({
    type: TenantHealthDto,
    description: 'its figures over the last hour, every instance together',
  })
  lastHour!: TenantHealthDto;

  @ApiProperty({ type: [RecentErrorDto], description: 'its newest error replies (up to 20), newest first' })
  recentErrors!: RecentErrorDto[];
}

export class OperatorTenantPage {
  @ApiProperty({ type: [OperatorTenantDto] }) data!: OperatorTenantDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiPropertyOptional({ type: 'integer', description: 'with `includeTotal=true`: how many match' })
  total?: number;
}

/** A cursor names the sort and order it came from (`o`: `load-desc`); another one's is refused. */
const CURSOR = { o: 'slug', s: 'slug' } as const;
const SORTED_CURSOR = { o: 'slug', k: 'number', s: 'slug' } as const;
const likeEscaped = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** The minutes `load`, `requestsPerMinute` and `p99Ms` look back over. */
const RECENT_MINUTES = 15;

interface Row {
  id: string;
  slug: string;
  name: string;
  owner_email: string | null;
  status: string;
  server: string;
  schema_version: string | null;
  created_at: Date;
  updated_at: Date;
  database_bytes: string | null;
  last_request_at: Date | null;
  last_backup_at: Date | null;
  last_verified_at: Date | null;
  recent_requests: number;
  k: number;
}

/** Each sort's key, a number (whole: bytes, requests, epoch ms) so a keyset cursor compares it exactly. */
const SORT_KEYS: Record<TenantSort | 'slug', string> = {
  slug: '0',
  size: 'coalesce(a.database_bytes, -1)',
  load: 'coalesce(l.requests, 0)',
  activity: 'coalesce(floor(extract(epoch FROM a.last_request_at) * 1000), -1)',
};

const SELECT_TENANTS = (sort: TenantSort | 'slug') => `
  SELECT o.id, o.slug, o.name, w.email AS owner_email, o.status, o.server, o.schema_version, o.created_at,
         o.updated_at, a.database_bytes, a.last_request_at, coalesce(l.requests, 0)::int AS recent_requests,
         (SELECT max(created_at) FROM tenant_backups b WHERE b.tenant_id = o.id) AS last_backup_at,
         (SELECT max(verified_at) FROM tenant_backups b WHERE b.tenant_id = o.id) AS last_verified_at,
         (${SORT_KEYS[sort]})::float8 AS k
    FROM organizations o LEFT JOIN owners w ON w.id = o.owner_id
    LEFT JOIN tenant_activity a ON a.tenant_id = o.id
    LEFT JOIN (SELECT tenant_id, sum(requests)::int AS requests FROM tenant_health_minutes
                WHERE minute >= now() - interval '${RECENT_MINUTES} minutes' GROUP BY tenant_id) l
           ON l.tenant_id = o.id
   WHERE o.status <> 'spare'`;

/**
 * The fleet's tenants (spares left out), filtered, in slug order or sorted by size, load or last activity
 * (then slug), one keyset page at a time; the page's p99 from the same 15 minutes of figures.
 */
export async function listTenants(
  core: DataSource,
  query: OperatorTenantQueryDto,
): Promise<OperatorTenantPage> {
  const limit = query.limit ?? 20;
  const sort = query.sort ?? 'slug';
  const desc = (query.order ?? (query.sort ? 'desc' : 'asc')) === 'desc';
  const o = `${sort}-${desc ? 'desc' : 'asc'}`;
  const after = !query.cursor
    ? null
    : sort === 'slug'
      ? { k: 0, ...decodeCursor(query.cursor, CURSOR) }
      : decodeCursor(query.cursor, SORTED_CURSOR);
  if (after && after.o !== o) throw invalidCursor();
  const filters = `
        AND ($1::text IS NULL OR o.server = $1) AND ($2::text IS NULL OR o.status = $2)
        AND ($3::text IS NULL OR o.schema_version = $3)
        AND ($4::text IS NULL OR o.slug ILIKE $4 OR o.name ILIKE $4 OR w.email ILIKE $4)`;
  const filterValues = [
    query.server ?? null,
    query.status ?? null,
    query.version ?? null,
    query.q ? likeEscaped(query.q) : null,
  ];
  const cmp = desc ? '<' : '>';
  const rows: Row[] = await core.query(
    `SELECT * FROM (${SELECT_TENANTS(sort)} ${filters}) t
      WHERE $5::text IS NULL OR t.k ${cmp} $6 OR (t.k = $6 AND t.slug ${cmp} $5)
      ORDER BY t.k ${desc ? 'DESC' : 'ASC'}, t.slug ${desc ? 'DESC' : 'ASC'} LIMIT $7`,
    [...filterValues, after?.s ?? null, after?.k ?? 0, limit + 1],
  );
  const page = rows.slice(0, limit);
  const p99 = await recentP99(
    core,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  const result: OperatorTenantPage = {
    data: page.map((r) => toDto(r, p99.get(r.id) ?? null)),
    nextCursor:
      rows.length <= limit
        ? null
        : sort === 'slug'
          ? encodeCursor<typeof CURSOR>({ o, s: last.slug })
          : encodeCursor<typeof SORTED_CURSOR>({ o, k: Number(last.k), s: last.slug }),
  };
  if (query.includeTotal) {
    const [{ n }]: { n: number }[] = await core.query(
      `SELECT count(*)::int AS n FROM organizations o LEFT JOIN owners w ON w.id = o.owner_id
        WHERE o.status <> 'spare' ${filters}`,
      filterValues,
    );
    result.total = n;
  }
  return result;
}

/** p99 over the recent minutes of each of `ids`, every instance together. */
async function recentP99(core: DataSource, ids: string[]): Promise<Map<string, number | null>> {
  if (ids.length === 0) return new Map();
  const rows: { tenant_id: string; latency: number[] }[] = await core.query(
    `SELECT tenant_id, latency FROM tenant_health_minutes
      WHERE tenant_id = ANY($1::uuid[]) AND minute >= now() - interval '${RECENT_MINUTES} minutes'`,
    [ids],
  );
  const sums = new Map<string, number[]>();
  for (const r of rows) {
    const sum = sums.get(r.tenant_id);
    if (sum) r.latency.forEach((n, i) => (sum[i] += n));
    else sums.set(r.tenant_id, [...r.latency]);
  }
  return new Map([...sums].map(([id, buckets]) => [id, quantileMs(buckets, 0.99)]));
}

export async function findTenant(
  core: DataSource,
  slug: string,
): Promise<(OperatorTenantDto & { id: string }) | null> {
  const rows: Row[] = await core.query(`${SELECT_TENANTS('slug')} AND o.slug = $1`, [slug]);
  if (!rows[0]) return null;
  const p99 = await recentP99(core, [rows[0].id]);
  return { ...toDto(rows[0], p99.get(rows[0].id) ?? null), id: rows[0].id };
}

function toDto(r: Row, p99Ms: number | null): OperatorTenantDto {
  return {
    slug: r.slug,
    name: r.name,
    ownerEmail: r.owner_email,
    status: r.status,
    server: r.server,
    schemaVersion: r.schema_version,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    databaseBytes: r.database_bytes === null ? null : Number(r.database_bytes),
    lastActivityAt: r.last_request_at ? new Date(r.last_request_at).toISOString() : null,
    requestsPerMinute: Math.round((r.recent_requests / RECENT_MINUTES) * 10) / 10,
    p99Ms,
    lastBackupAt: r.last_backup_at ? new Date(r.last_backup_at).toISOString() : null,
    lastVerifiedRestoreAt: r.last_verified_at ? new Date(r.last_verified_at).toISOString() : null,
  };
}
