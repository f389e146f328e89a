import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EntityManager } from 'typeorm';
import { RefreshTokenStore } from '../common/crypto/refresh-token.store.js';
import { issueInstant } from '../common/crypto/session-cutoff.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { TokenPairDto } from '../core/auth/dto/token-pair.dto.js';
import { OperatorRefreshToken } from './operator-refresh-token.entity.js';

/** The operators' token context: a key, an audience and a type of its own (never accepted elsewhere). */
export const OPERATOR_JWT = {
  algorithm: 'HS256',
  audience: 'tenantry:operator',
  issuer: 'tenantry',
  type: 'operator+access',
} as const;

export interface OperatorJwtPayload {
  sub: string;
  typ: string;
  iat: number;
  ims?: number;
  exp: number;
}

/** Issues and verifies operator tokens; without an operator secret the whole plane answers 404. */
@Injectable()
export class OperatorTokens {
  readonly refreshTokens: RefreshTokenStore<OperatorRefreshToken>;
  private readonly secret?: string;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.refreshTokens = new RefreshTokenStore(
      OperatorRefreshToken,
      'operatorId',
      config.jwt.refreshTtlSeconds,
    );
    this.secret = config.jwt.operatorSecret;
  }

  /** The signing key, or 404 when the operator plane is off (production without JWT_OPERATOR_SECRET). */
  keyOrOff(): string {
    if (!this.secret) throw new NotFoundException();
    return this.secret;
  }

  async issuePair(m: EntityManager, operatorId: string, familyId?: string): Promise<TokenPairDto> {
    return this.pair(operatorId, await this.refreshTokens.issue(m, operatorId, familyId));
  }

  async pair(operatorId: string, refreshToken: string): Promise<TokenPairDto> {
    const expiresIn = this.config.jwt.accessTtlSeconds;
    const accessToken = await this.jwt.signAsync(
      { typ: OPERATOR_JWT.type, ...issueInstant() },
      {
        secret: this.keyOrOff(),
        algorithm: OPERATOR_JWT.algorithm,
        audience: OPERATOR_JWT.audience,
        issuer: OPERATOR_JWT.issuer,
        subject: operatorId,
        expiresIn,
      },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }

  /** The payload of a valid operator access token, or null. */
  async verify(token: string): Promise<OperatorJwtPayload | null> {
    try {
      const payload = await this.jwt.verifyAsync<OperatorJwtPayload>(token, {
        secret: this.keyOrOff(),
        algorithms: [OPERATOR_JWT.algorithm],
        audience: OPERATOR_JWT.audience,
        issuer: OPERATOR_JWT.issuer,
      });
      return payload.typ === OPERATOR_JWT.type && typeof payload.sub === 'string' ? payload : null;
    } catch (err) {
      if (err instanceof NotFoundException) throw err;
      return null;
    }
  }
}
