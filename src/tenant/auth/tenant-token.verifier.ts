import { Inject, Injectable } from '@nestjs/common';
import { createVerifier } from 'fast-jwt';
import { LRUCache } from 'lru-cache';
import { claimsWithinPolicy } from '../../common/crypto/token-claims.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TENANT_JWT, type TenantJwtPayload, tenantSigningKey } from './tenant-jwt.constants.js';

type Verify = (token: string) => TenantJwtPayload & { nbf?: number };

interface TenantVerifier {
  verify: Verify;
  /** Tokens of this tenant verified recently, by their exact text: a hit is the same token again. */
  recent: LRUCache<string, TenantJwtPayload & { nbf?: number }>;
}

/** Tenants whose verifier (and derived key) stays cached; keyed by catalog ids, never by client input. */
const CACHED_TENANTS = 10_000;
/** Tokens per tenant whose verification is remembered until they expire; only valid tokens get in. */
const CACHED_TOKENS_PER_TENANT = 64;

/**
 * Verifies tenant access tokens with fast-jwt: HS256 pinned, the tenant's own derived key, the tenant
 * audience and issuer, `exp` required. The key derivation and verifier set-up happen once per tenant (a
 * bounded LRU), not per request: the profile showed jsonwebtoken re-importing the secret on every call
 * (docs/designs/performance.md). A token verified recently is not verified again until it expires: a small LRU per
 * tenant keyed by the token's exact text (a Map look-up; fast-jwt's own cache hashed every token with
 * SHA-2 first, ~8 % of a routed GET's CPU). Revocation does not rely on the signature but on the user read
 * every request.
 */
@Injectable()
export class TenantTokenVerifier {
  private readonly verifiers = new LRUCache<string, TenantVerifier>({ max: CACHED_TENANTS });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The payload when the token is valid for `tenantId`, else null. */
  verify(token: string, tenantId: string): TenantJwtPayload | null {
    const verifier = this.verifierOf(tenantId);
    const now = Date.now();
    const known = verifier.recent.get(token);
    if (known)
      return now < known.exp * 1000 && (known.nbf === undefined || now >= known.nbf * 1000) ? known : null;
    let payload: TenantJwtPayload & { nbf?: number };
    try {
      payload = verifier.verify(token);
    } catch {
      return null;
    }
    if (
      payload.typ !== TENANT_JWT.type ||
      payload.tid !== tenantId ||
      typeof payload.sub !== 'string' ||
      !claimsWithinPolicy(payload, this.config.jwt.accessTtlSeconds)
    )
      return null;
    verifier.recent.set(token, payload);
    return payload;
  }

  private verifierOf(tenantId: string): TenantVerifier {
    let verifier = this.verifiers.get(tenantId);
    if (!verifier) {
      verifier = {
        verify: createVerifier({
          key: tenantSigningKey(this.config.jwt.tenantSecret, tenantId),
          algorithms: [TENANT_JWT.algorithm],
          allowedAud: TENANT_JWT.audience,
          allowedIss: TENANT_JWT.issuer,
          requiredClaims: ['exp', 'iat', 'sub', 'tid', 'typ'],
        }) as Verify,
        recent: new LRUCache({ max: CACHED_TOKENS_PER_TENANT }),
      };
      this.verifiers.set(tenantId, verifier);
    }
    return verifier;
  }
}
