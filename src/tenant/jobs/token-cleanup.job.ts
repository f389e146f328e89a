import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../../jobs/job-registry.js';
import { TenantConnectionManager } from '../../tenancy/index.js';

/** Revoked refresh tokens are kept this long (reuse detection reads them), then removed. */
export const REVOKED_TOKEN_DAYS = 7;

/** `token-cleanup`, the tenant part: expired and long-revoked refresh tokens of the tenant's users. */
@Injectable()
export class TenantTokenCleanupJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly tenant: TenantConnectionManager,
  ) {}

  onModuleInit(): void {
    this.registry.define('token-cleanup', { tenant: () => this.run() });
  }

  async run(): Promise<{ deleted: number }> {
    const [, deleted]: [unknown, number] = await this.tenant.run((m) =>
      m.query(
        `DELETE FROM refresh_tokens
          WHERE expires_at < now() OR revoked_at < now() - make_interval(days => $1)`,
        [REVOKED_TOKEN_DAYS],
      ),
    );
    return { deleted };
  }
}
