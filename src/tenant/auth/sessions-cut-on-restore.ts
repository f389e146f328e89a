import { Injectable, OnModuleInit } from '@nestjs/common';
import { cutOffNow } from '../../common/crypto/session-cutoff.js';
import { TenantConnectionRegistry, TenantRemover } from '../../tenancy/index.js';

/**
 * A restore after deletion is a session cut-off: every access token issued before it stops, and every
 * refresh token is revoked, so a token taken from before the deletion does not come back with the data.
 */
@Injectable()
export class SessionsCutOnRestore implements OnModuleInit {
  constructor(
    private readonly remover: TenantRemover,
    private readonly connections: TenantConnectionRegistry,
  ) {}

  onModuleInit(): void {
    this.remover.addRestoreStep((tenant) =>
      this.connections.withConnection(tenant, async (m) => {
        await m.query('UPDATE users SET tokens_valid_after = $1', [cutOffNow()]);
        await m.query('UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL');
      }),
    );
  }
}
