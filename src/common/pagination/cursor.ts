import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { badRequest } from '../errors/problem.exception.js';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** `?from=&to=` on `created_at` (from inclusive, to exclusive). */
export class DateRangeDto {
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  to?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** As Postgres prints a timestamptz: `2026-11-22 10:51:28.838179+00`. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

interface CursorKey {
  t: string;
  i: string;
}

function decode(cursor: string): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
    if (typeof key.t === 'string' && typeof key.i === 'string' && UUID.test(key.i) && TIMESTAMP.test(key.t))
      return key;
  } catch {
    // fall through
  }
  throw badRequest('INVALID_CURSOR', 'The cursor is not one this API returned.');
}

/**
 * Keyset pagination on (created_at, id): stable under inserts, and served by an index on those columns.
 * `alias` is the query builder's alias; the entity must have `createdAt` and `id`.
 */
export async function paginate<E extends ObjectLiteral & { createdAt: Date; id: string }>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  query: PageQueryDto,
): Promise<Page<E>> {
  const limit = query.limit ?? 20;
  if (query.cursor) {
    const key = decode(query.cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) > (:cursorTime, :cursorId)`, {
      cursorTime: key.t,
      cursorId: key.i,
    });
  }
  // The cursor carries the timestamp as Postgres prints it (microseconds), not as a JS Date (milliseconds).
  const { entities, raw } = await qb
    .addSelect(`${alias}.created_at::text`, 'cursor_time')
    .orderBy(`${alias}.created_at`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .limit(limit + 1)
    .getRawAndEntities<{ cursor_time: string }>();
  const data = entities.slice(0, limit);
  const last = data[data.length - 1];
  const nextCursor =
    entities.length > limit && last
      ? Buffer.from(JSON.stringify({ t: raw[limit - 1].cursor_time, i: last.id })).toString('base64url')
      : null;
  return { data, nextCursor };
}
