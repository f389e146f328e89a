import { issueInstant } from '../../common/crypto/session-cutoff.js';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';
import { RefreshTokenStore, RotationResult } from '../../common/crypto/refresh-token.store.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TokenPairDto } from '../../core/auth/dto/token-pair.dto.js';
import { RefreshToken } from './refresh-token.entity.js';
import { TENANT_JWT, tenantSigningKey } from './tenant-jwt.constants.js';

/** Issues tenant tokens: a JWT bound to the tenant (`tid`, per-tenant key) and a rotating refresh token. */
@Injectable()
export class TenantTokenService {
  readonly refreshTokens: RefreshTokenStore<RefreshToken>;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.refreshTokens = new RefreshTokenStore(RefreshToken, 'userId', config.jwt.refreshTtlSeconds);
  }

  async issuePair(manager: EntityManager, tenantId: string, userId: string): Promise<TokenPairDto> {
    return this.pair(tenantId, userId, await this.refreshTokens.issue(manager, userId));
  }

  rotate(manager: EntityManager, refreshToken: string): Promise<RotationResult<string>> {
    return this.refreshTokens.rotate(manager, refreshToken);
  }

  async pair(tenantId: string, userId: string, refreshToken: string): Promise<TokenPairDto> {
    const expiresIn = this.config.jwt.accessTtlSeconds;
    const accessToken = await this.jwt.signAsync(
      { typ: TENANT_JWT.type, tid: tenantId, ...issueInstant() },
      {
        secret: tenantSigningKey(this.config.jwt.tenantSecret, tenantId),
        algorithm: TENANT_JWT.algorithm,
        audience: TENANT_JWT.audience,
        issuer: TENANT_JWT.issuer,
        subject: userId,
        expiresIn,
      },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }
}
