import { issueInstant } from '../../common/crypto/session-cutoff.js';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';
import { RefreshTokenStore, RotationResult } from '../../common/crypto/refresh-token.store.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CORE_JWT } from './core-jwt.constants.js';
import { OwnerRefreshToken } from './owner-refresh-token.entity.js';
import { TokenPairDto } from './dto/token-pair.dto.js';

/** Issues the core context's tokens: a short-lived JWT for owners and a rotating opaque refresh token. */
@Injectable()
export class CoreTokenService {
  readonly refreshTokens: RefreshTokenStore<OwnerRefreshToken>;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.refreshTokens = new RefreshTokenStore(OwnerRefreshToken, 'ownerId', config.jwt.refreshTtlSeconds);
  }

  async issuePair(manager: EntityManager, ownerId: string, familyId?: string): Promise<TokenPairDto> {
    const refreshToken = await this.refreshTokens.issue(manager, ownerId, familyId);
    return this.pair(ownerId, refreshToken);
  }

  async rotate(manager: EntityManager, refreshToken: string): Promise<RotationResult<string>> {
    return this.refreshTokens.rotate(manager, refreshToken);
  }

  async pair(ownerId: string, refreshToken: string): Promise<TokenPairDto> {
    const expiresIn = this.config.jwt.accessTtlSeconds;
    const accessToken = await this.jwt.signAsync(
      { typ: CORE_JWT.type, ...issueInstant() },
      {
        secret: this.config.jwt.coreSecret,
        algorithm: CORE_JWT.algorithm,
        audience: CORE_JWT.audience,
        issuer: CORE_JWT.issuer,
        subject: ownerId,
        expiresIn,
      },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }
}
