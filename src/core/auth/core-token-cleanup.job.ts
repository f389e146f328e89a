import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobRegistry } from '../../jobs/job-registry.js';

/** Used or revoked tokens are kept this long (reuse detection, support), then removed. */
export const SPENT_TOKEN_DAYS = 7;

/** `token-cleanup`, the cluster part: expired and long-spent owner refresh tokens and email tokens. */
@Injectable()
export class CoreTokenCleanupJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    @InjectDataSource() private readonly core: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.define('token-cleanup', { cluster: () => this.run() });
  }

  async run(): Promise<{ refreshTokens: number; emailTokens: number }> {
    const [, refreshTokens]: [unknown, number] = await this.core.query(
      `DELETE FROM owner_refresh_tokens
        WHERE expires_at < now() OR revoked_at < now() - make_interval(days => $1)`,
      [SPENT_TOKEN_DAYS],
    );
    const [, emailTokens]: [unknown, number] = await this.core.query(
      `DELETE FROM email_tokens WHERE expires_at < now() OR used_at < now() - make_interval(days => $1)`,
      [SPENT_TOKEN_DAYS],
    );
    return { refreshTokens, emailTokens };
  }
}
