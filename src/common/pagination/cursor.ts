import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

interface CursorKey {
  t: string;
  i: string;
}

function decode(cursor: string): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
    if (typeof key.t === 'string' && typeof key.i === 'string' && !Number.isNaN(Date.parse(key.t)))
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
  const rows = await qb
    .orderBy(`${alias}.created_at`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .take(limit + 1)
    .getMany();
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify({ t: new Date(last.createdAt).toISOString(), i: last.id })).toString(
          'base64url',
        )
      : null;
  return { data, nextCursor };
}
