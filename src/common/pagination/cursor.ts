import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor-codec.js';
import { IsInstant } from '../validation/instant.decorator.js';

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
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const TIME_ID = { t: 'timestamp', i: 'uuid' } as const;

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
    const key = decodeCursor(query.cursor, TIME_ID);
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
      ? encodeCursor<typeof TIME_ID>({ t: raw[limit - 1].cursor_time, i: last.id })
      : null;
  return { data, nextCursor };
}

/** A page with each row mapped (entity → response DTO); the cursor is unchanged. */
export function mapPage<T, R>(page: Page<T>, map: (row: T) => R): Page<R> {
  return { data: page.data.map(map), nextCursor: page.nextCursor };
}
