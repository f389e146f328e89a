import { ApiProperty } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';

export class RecentErrorDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() method!: string;
  @ApiProperty({ description: "the route's pattern, e.g. `/api/v1/items/:id`" }) route!: string;
  @ApiProperty({ type: 'integer' }) status!: number;
  @ApiProperty({ type: String, nullable: true, description: "the problem's code" }) code!: string | null;
}

/** Error replies kept per tenant between two flushes of an instance, and per tenant in the core database. */
const PER_FLUSH = 20;
const KEPT = 50;
export const SHOWN = 20;

/**
 * A tenant's recent error replies: noted in memory on the request path (only for replies ≥ 400, at most 20 per
 * tenant between flushes), written with the per-tenant figures, the newest 50 per tenant kept.
 */
export class RecentErrors {
  private pending = new Map<string, RecentErrorDto[]>();

  note(tenantId: string, error: RecentErrorDto): void {
    let list = this.pending.get(tenantId);
    if (!list) this.pending.set(tenantId, (list = []));
    if (list.length < PER_FLUSH) list.push(error);
  }

  pendingOf(tenantId: string): RecentErrorDto[] {
    return this.pending.get(tenantId) ?? [];
  }

  async write(core: DataSource): Promise<void> {
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    const rows = [...batch].flatMap(([tenantId, list]) => list.map((e) => ({ tenant_id: tenantId, ...e })));
    await core.query(
      `INSERT INTO tenant_recent_errors (tenant_id, at, method, route, status, code)
       SELECT r.tenant_id, r.at, r.method, left(r.route, 200), r.status, left(r.code, 60)
         FROM json_to_recordset($1::json)
           AS r(tenant_id uuid, at timestamptz, method text, route text, status int, code text)`,
      [JSON.stringify(rows)],
    );
    await core.query(
      `DELETE FROM tenant_recent_errors e USING (
         SELECT id, row_number() OVER (PARTITION BY tenant_id ORDER BY at DESC, id DESC) AS n
           FROM tenant_recent_errors WHERE tenant_id = ANY($1::uuid[])) old
        WHERE e.id = old.id AND old.n > ${KEPT}`,
      [[...batch.keys()]],
    );
  }
}

/** A tenant's newest error replies, every instance's written ones and this instance's unwritten ones. */
export async function recentErrors(
  core: DataSource,
  tenantId: string,
  unwritten: RecentErrorDto[],
): Promise<RecentErrorDto[]> {
  const rows: { at: Date; method: string; route: string; status: number; code: string | null }[] =
    await core.query(
      `SELECT at, method, route, status, code FROM tenant_recent_errors WHERE tenant_id = $1
        ORDER BY at DESC, id DESC LIMIT ${SHOWN}`,
      [tenantId],
    );
  const written = rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  return [...unwritten].reverse().concat(written).slice(0, SHOWN);
}
