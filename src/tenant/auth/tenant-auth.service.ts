import { cutOffNow } from '../../common/crypto/session-cutoff.js';
import { Injectable } from '@nestjs/common';
import { PasswordService } from '../../common/crypto/password.service.js';
import { AbuseLimits } from '../../common/limits/abuse-limits.service.js';
import { LoginDto } from '../../core/auth/dto/auth-requests.dto.js';
import { TokenPairDto } from '../../core/auth/dto/token-pair.dto.js';
import type { AuthenticatedOwner } from '../../core/auth/core-jwt.strategy.js';
import { OwnerRepository } from '../../core/owners/owner.repository.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { User } from '../identity/user.entity.js';
import { TenantAuthErrors } from './tenant-auth.errors.js';
import { TenantTokenService } from './tenant-token.service.js';

/** Sessions of a tenant's users; all state lives in that tenant's database. */
@Injectable()
export class TenantAuthService {
  constructor(
    private readonly tenant: TenantConnectionManager,
    private readonly passwords: PasswordService,
    private readonly tokens: TenantTokenService,
    private readonly owners: OwnerRepository,
    private readonly limits: AbuseLimits,
  ) {}

  /** Unknown email, wrong password and deactivated user get the same reply after the same work. */
  async login(dto: LoginDto): Promise<TokenPairDto> {
    const ctx = await this.tenant.context();
    const account = `${ctx.tenant.id}:${dto.email}`;
    await this.limits.assertLoginAllowed(account);
    const user = await ctx.run((m) => m.getRepository(User).findOneBy({ email: dto.email }));
    // The owner's admin user follows the owner's core account: the core password is the one that counts.
    const hash = user?.isOwner
      ? (await this.owners.findById(ctx.tenant.ownerId))?.passwordHash
      : user?.passwordHash;
    const ok = await this.passwords.verify(dto.password, hash);
    if (!user || !ok || !user.isActive) {
      await this.limits.loginFailed(account);
      throw TenantAuthErrors.invalidCredentials();
    }
    await this.limits.loginSucceeded(account);
    return ctx.transaction((m) => this.tokens.issuePair(m, ctx.tenant.id, user.id));
  }

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const ctx = await this.tenant.context();
    const result = await ctx.transaction(async (m) => {
      const rotation = await this.tokens.rotate(m, refreshToken);
      if (rotation.outcome !== 'rotated') return rotation;
      const user = await m.getRepository(User).findOneBy({ id: rotation.subjectId });
      return user?.isActive ? rotation : ({ outcome: 'invalid' } as const);
    });
    if (result.outcome === 'reused') throw TenantAuthErrors.refreshTokenReused();
    if (result.outcome === 'invalid') throw TenantAuthErrors.invalidRefreshToken();
    return this.tokens.pair(ctx.tenant.id, result.subjectId, result.token);
  }

  async logout(userId: string, refreshToken: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const family = await this.tokens.refreshTokens.familyOf(m, refreshToken, userId);
      if (!family) throw TenantAuthErrors.invalidRefreshToken();
      await this.tokens.refreshTokens.revokeFamily(m, family);
      // The access tokens issued until now stop too (checked per request by the active-user read).
      await m.getRepository(User).update({ id: userId }, { tokensValidAfter: cutOffNow() });
    });
  }

  /** Owner → tenant: tokens for the owner's own admin user, without a second login. */
  async exchange(owner: AuthenticatedOwner): Promise<TokenPairDto> {
    const ctx = await this.tenant.context();
    if (ctx.tenant.ownerId !== owner.id)
      throw TenantAuthErrors.forbidden('Only the owner of this organization may do this.');
    const user = await ctx.run((m) => m.getRepository(User).findOneBy({ email: owner.email }));
    if (!user || !user.isActive || user.role !== 'admin') {
      throw TenantAuthErrors.forbidden(
        "The owner's admin user of this organization is missing or deactivated.",
      );
    }
    return ctx.transaction((m) => this.tokens.issuePair(m, ctx.tenant.id, user.id));
  }
}
