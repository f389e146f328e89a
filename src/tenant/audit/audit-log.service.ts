import { Injectable } from '@nestjs/common';
import { safeCsv } from '../../common/csv/safe-csv.js';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SelectQueryBuilder } from 'typeorm';
import { Page, paginate } from '../../common/pagination/cursor.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { DomainErrors } from '../errors/domain.errors.js';
import { AuditLog } from './audit-log.entity.js';
import { AuditLogFilterDto, AuditLogQueryDto } from './audit-log.dto.js';

const CSV_COLUMNS = [
  'id',
  'created_at',
  'actor_id',
  'action',
  'entity',
  'entity_id',
  'request_id',
  'changes',
];

/** Reads the audit log; it is written only by the domain services (audit.writer.ts), never changed. */
@Injectable()
export class AuditLogService {
  constructor(private readonly tenant: TenantConnectionManager) {}

  async list(query: AuditLogQueryDto): Promise<Page<AuditLog>> {
    return this.tenant.run((m) =>
      paginate(this.filtered(m.getRepository(AuditLog).createQueryBuilder('a'), query), 'a', query),
    );
  }

  async get(id: string): Promise<AuditLog> {
    const entry = await this.tenant.run((m) => m.getRepository(AuditLog).findOneBy({ id }));
    if (!entry) throw DomainErrors.notFound('audit_log');
    return entry;
  }

  /**
   * Writes the matching entries as CSV to a spool file and resolves its path: a server-side cursor
   * (pg-query-stream) feeds csv-stringify with back-pressure, so memory stays flat however many rows there
   * are, and the tenant's connection is held only as long as the disk takes the rows — never while a slow
   * client reads (five slow readers held all of a tenant's connections). The caller sends the file, then
   * removes its folder (`dir`).
   */
  async exportCsv(query: AuditLogFilterDto): Promise<{ path: string; dir: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'tenantry-audit-'));
    const path = join(dir, 'audit-log.csv');
    try {
      await this.tenant.run(async (m) => {
        const qb = this.filtered(m.getRepository(AuditLog).createQueryBuilder('a'), query)
          .select([
            'a.id AS id',
            `to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`,
            'a.actor_id AS actor_id',
            'a.action AS action',
            'a.entity AS entity',
            'a.entity_id AS entity_id',
            'a.request_id AS request_id',
            'a.changes::text AS changes',
          ])
          .orderBy('a.created_at', 'ASC')
          .addOrderBy('a.id', 'ASC');
        const rows = await qb.stream();
        await pipeline(rows, safeCsv({ header: true, columns: CSV_COLUMNS }), createWriteStream(path));
      });
      return { path, dir };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private filtered(qb: SelectQueryBuilder<AuditLog>, f: AuditLogFilterDto): SelectQueryBuilder<AuditLog> {
    if (f.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: f.actorId });
    if (f.action) qb.andWhere('a.action = :action', { action: f.action });
    if (f.entity) qb.andWhere('a.entity = :entity', { entity: f.entity });
    if (f.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: f.entityId });
    if (f.from) qb.andWhere('a.created_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('a.created_at < :to', { to: f.to });
    return qb;
  }
}
