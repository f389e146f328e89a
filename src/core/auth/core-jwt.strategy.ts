import { issuedAfter, issuedAtMs } from '../../common/crypto/session-cutoff.js';
import { claimsWithinPolicy } from '../../common/crypto/token-claims.js';
import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { OwnerRepository } from '../owners/owner.repository.js';
import { CORE_JWT, CoreJwtPayload } from './core-jwt.constants.js';

export interface AuthenticatedOwner {
  id: string;
  email: string;
  emailVerified: boolean;
}

/** Accepts only core access tokens: HS256 pinned, core key, core audience and issuer, core `typ`. */
@Injectable()
export class CoreJwtStrategy extends PassportStrategy(Strategy, CORE_JWT.strategy) {
  private readonly lifetimeSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly owners: OwnerRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject made once: given the raw secret, jsonwebtoken re-imports it on every verification.
      secretOrKey: createSecretKey(Buffer.from(config.jwt.coreSecret)) as never,
      algorithms: [CORE_JWT.algorithm],
      audience: CORE_JWT.audience,
      issuer: CORE_JWT.issuer,
      ignoreExpiration: false,
    });
    this.lifetimeSeconds = config.jwt.accessTtlSeconds;
  }

  async validate(payload: CoreJwtPayload): Promise<AuthenticatedOwner | false> {
    if (payload.typ !== CORE_JWT.type || typeof payload.sub !== 'string') return false;
    // jsonwebtoken accepts a token without `exp` as never expiring: ours always carry one.
    if (!claimsWithinPolicy(payload, this.lifetimeSeconds)) return false;
    const owner = await this.owners.findById(payload.sub);
    if (!owner || !issuedAfter(issuedAtMs(payload), owner.tokensValidAfter)) return false;
    return { id: owner.id, email: owner.email, emailVerified: owner.emailVerifiedAt !== null };
  }
}
