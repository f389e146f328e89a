import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../../jobs/job-registry.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { SYSTEM_ACTOR } from '../audit/actor.js';
import { audit } from '../audit/audit.writer.js';

/** Drafts untouched this long are deleted. */
export const DRAFT_MAX_AGE_DAYS = 30;

/** `draft-cleanup`: purchase requests still `draft` and untouched for 30 days go, each audited (system). */
@Injectable()
export class DraftCleanupJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly tenant: TenantConnectionManager,
  ) {}

  onModuleInit(): void {
    this.registry.define('draft-cleanup', { tenant: () => this.run() });
  }

  async run(): Promise<{ deleted: number }> {
    return this.tenant.transaction(async (m) => {
      const [rows]: [Record<string, unknown>[], number] = await m.query(
        `DELETE FROM purchase_requests
          WHERE status = 'draft' AND updated_at < now() - make_interval(days => $1)
          RETURNING id, number, requester_id AS "requesterId", note, updated_at AS "updatedAt"`,
        [DRAFT_MAX_AGE_DAYS],
      );
      for (const row of rows)
        await audit(m, SYSTEM_ACTOR, 'delete', 'purchase_request', String(row.id), row, null);
      return { deleted: rows.length };
    });
  }
}
