import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { cutOffNow } from '../../common/crypto/session-cutoff.js';
import type { OwnerCredentialsSync } from '../../core/owners/owner-credentials.port.js';
import { TenantConnectionManager, TenantRunner } from '../../tenancy/index.js';
import { TenantTokenService } from '../auth/tenant-token.service.js';
import { User } from '../identity/user.entity.js';

/** Organizations updated at once when an owner's password changes. */
const CONCURRENCY = 4;

/**
 * The owner's admin user in each organization follows the owner's core account. Its login already checks the
 * core password (TenantAuthService), so an old password works nowhere even before this runs; this carries
 * the new hash over and ends that user's sessions (refresh tokens revoked, access tokens cut off) in every
 * organization of the owner. An organization that cannot be reached is logged and left: its owner user can
 * only log in with the new password, and its sessions end at their expiry at the latest.
 */
@Injectable()
export class OwnerAdminSync implements OwnerCredentialsSync {
  private readonly logger = new Logger(OwnerAdminSync.name);

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly runner: TenantRunner,
    private readonly tenant: TenantConnectionManager,
    private readonly tokens: TenantTokenService,
  ) {}

  async passwordChanged(ownerId: string, passwordHash: string): Promise<void> {
    const rows: { slug: string }[] = await this.core.query(
      `SELECT slug FROM organizations WHERE owner_id = $1 AND status IN ('active', 'suspended', 'provisioning')`,
      [ownerId],
    );
    const queue = rows.map((r) => r.slug);
    const worker = async () => {
      for (let slug = queue.shift(); slug; slug = queue.shift()) {
        await this.follow(slug, passwordHash).catch((err: Error) =>
          this.logger.warn({ slug, err: err.message }, "owner's admin user not updated"),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  }

  private follow(slug: string, passwordHash: string): Promise<void> {
    return this.runner.run(slug, () =>
      this.tenant.transaction(async (m) => {
        const owners = await m.getRepository(User).findBy({ isOwner: true });
        for (const user of owners) {
          await m
            .getRepository(User)
            .update({ id: user.id }, { passwordHash, tokensValidAfter: cutOffNow() });
          await this.tokens.refreshTokens.revokeAllOf(m, user.id);
        }
      }),
    );
  }
}
