import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { checkCursorOrder, decodeCursor, encodeCursor } from './cursor-codec.js';
import { IsInstant } from '../validation/instant.decorator.js';
import { Optional } from '../validation/optional.decorator.js';

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'The `nextCursor` of the previous page.' })
  @Optional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    description: 'By creation time; default asc (oldest first).',
  })
  @Optional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({
    type: Boolean,
    description: 'Adds `total`: how many items match (a count is not free).',
  })
  @Optional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeTotal?: boolean;
}

/** `?from=&to=` on `created_at` (from inclusive, to exclusive). */
export class DateRangeDto {
  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsInstant()
  to?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  /** With `?includeTotal=true`: how many items match the filters, on every page. */
  total?: number;
}

const TIME_ID = { t: 'timestamp', i: 'uuid', o: 'order' } as const;

/**
 * Keyset pagination on (created_at, id), ascending or descending (`order`, which the cursor carries: a cursor
 * of the other order is refused): stable under inserts, and served by an index on those columns. `includeTotal` counts the filtered rows first (one more query).
 * `alias` is the query builder's alias; the entity must have `createdAt` and `id`.
 */
export async function paginate<E extends ObjectLiteral & { createdAt: Date; id: string }>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  query: PageQueryDto,
): Promise<Page<E>> {
  const limit = query.limit ?? 20;
  const descending = query.order === 'desc';
  const total = query.includeTotal ? await qb.clone().getCount() : undefined;
  if (query.cursor) {
    const key = decodeCursor(query.cursor, TIME_ID, ['o']);
    checkCursorOrder(key.o, descending ? 'desc' : 'asc');
    qb.andWhere(`(${alias}.created_at, ${alias}.id) ${descending ? '<' : '>'} (:cursorTime, :cursorId)`, {
      cursorTime: key.t,
      cursorId: key.i,
    });
  }
  // The cursor carries the timestamp as Postgres prints it (microseconds), not as a JS Date (milliseconds).
  const direction = descending ? 'DESC' : 'ASC';
  const { entities, raw } = await qb
    .addSelect(`${alias}.created_at::text`, 'cursor_time')
    .orderBy(`${alias}.created_at`, direction)
    .addOrderBy(`${alias}.id`, direction)
    .limit(limit + 1)
    .getRawAndEntities<{ cursor_time: string }>();
  const data = entities.slice(0, limit);
  const last = data[data.length - 1];
  const nextCursor =
    entities.length > limit && last
      ? encodeCursor<typeof TIME_ID>({
          t: raw[limit - 1].cursor_time,
          i: last.id,
          o: descending ? 'desc' : 'asc',
        })
      : null;
  return total === undefined ? { data, nextCursor } : { data, nextCursor, total };
}

/** A page with each row mapped (entity → response DTO); the cursor is unchanged. */
export function mapPage<T, R>(page: Page<T>, map: (row: T) => R): Page<R> {
  return { ...page, data: page.data.map(map) };
}
