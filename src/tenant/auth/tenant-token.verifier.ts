import { Inject, Injectable } from '@nestjs/common';
import { createVerifier } from 'fast-jwt';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TENANT_JWT, type TenantJwtPayload, tenantSigningKey } from './tenant-jwt.constants.js';

type Verify = (token: string) => TenantJwtPayload;

/** Tenants whose verifier (and derived key) stays cached; keyed by catalog ids, never by client input. */
const CACHED_TENANTS = 10_000;
/** Tokens per tenant whose verification is remembered until they expire (fast-jwt's own cache). */
const CACHED_TOKENS_PER_TENANT = 64;

/**
 * Verifies tenant access tokens with fast-jwt: HS256 pinned, the tenant's own derived key, the tenant
 * audience and issuer, `exp` required. The key derivation and verifier set-up happen once per tenant (a
 * bounded LRU), not per request: the profile showed jsonwebtoken re-importing the secret on every call
 * (docs/performance.md). A token seen recently is not verified again until it expires (a small bounded
 * cache per tenant): revocation does not rely on the signature but on the user read every request.
 */
@Injectable()
export class TenantTokenVerifier {
  private readonly verifiers = new LRUCache<string, Verify>({ max: CACHED_TENANTS });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The payload when the token is valid for `tenantId`, else null. */
  verify(token: string, tenantId: string): TenantJwtPayload | null {
    let verify = this.verifiers.get(tenantId);
    if (!verify) {
      verify = createVerifier({
        key: tenantSigningKey(this.config.jwt.tenantSecret, tenantId),
        algorithms: [TENANT_JWT.algorithm],
        allowedAud: TENANT_JWT.audience,
        allowedIss: TENANT_JWT.issuer,
        requiredClaims: ['exp', 'iat', 'sub', 'tid', 'typ'],
        cache: CACHED_TOKENS_PER_TENANT,
      }) as Verify;
      this.verifiers.set(tenantId, verify);
    }
    try {
      const payload = verify(token);
      if (
        payload.typ !== TENANT_JWT.type ||
        payload.tid !== tenantId ||
        typeof payload.sub !== 'string' ||
        typeof payload.iat !== 'number'
      )
        return null;
      return payload;
    } catch {
      return null;
    }
  }
}
