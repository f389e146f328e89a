import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { checkCursorOrder, decodeCursor, encodeCursor } from '../../common/pagination/cursor-codec.js';
import type { Page } from '../../common/pagination/cursor.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { EVENT_TYPES, type EventType } from './event.entity.js';

export class EventDto {
  @ApiProperty({ description: 'ascending, in commit order' }) id!: string;
  @ApiProperty({ enum: EVENT_TYPES }) type!: EventType;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

const CURSOR = { i: 'serial', o: 'order' } as const;

/** The event log, newest first (or `?order=asc`), keyset-paginated on the id. */
@Injectable()
export class EventLogService {
  constructor(private readonly tenant: TenantConnectionManager) {}

  async list(query: {
    type?: EventType;
    limit?: number;
    cursor?: string;
    order?: 'asc' | 'desc';
    includeTotal?: boolean;
  }): Promise<Page<EventDto>> {
    const limit = query.limit ?? 20;
    // Newest first unless `?order=asc`; the cursor is the last id seen, in the order it was listed in.
    const asc = query.order === 'asc';
    const key = query.cursor ? decodeCursor(query.cursor, CURSOR, ['o']) : null;
    if (key) checkCursorOrder(key.o, asc ? 'asc' : 'desc');
    const after = key?.i ?? null;
    let total: number | undefined;
    const rows: { id: string; type: EventType; data: Record<string, unknown>; createdAt: Date }[] =
      await this.tenant.run(async (m) => {
        if (query.includeTotal)
          total = Number(
            (
              await m.query(`SELECT count(*) AS n FROM events WHERE ($1::text IS NULL OR type = $1)`, [
                query.type ?? null,
              ])
            )[0].n,
          );
        return m.query(
          `SELECT id, type, data, created_at AS "createdAt" FROM events
            WHERE ($1::text IS NULL OR type = $1) AND ($2::bigint IS NULL OR id ${asc ? '>' : '<'} $2)
            ORDER BY id ${asc ? 'ASC' : 'DESC'} LIMIT $3`,
          [query.type ?? null, after, limit + 1],
        );
      });
    const page = rows.slice(0, limit);
    return {
      data: page.map((r) => ({ ...r, id: String(r.id), createdAt: new Date(r.createdAt).toISOString() })),
      nextCursor:
        rows.length > limit
          ? encodeCursor<typeof CURSOR>({ i: Number(page[page.length - 1].id), o: asc ? 'asc' : 'desc' })
          : null,
      ...(total === undefined ? {} : { total }),
    };
  }
}
