import { createSigner } from 'fast-jwt';
import { TENANT_JWT, tenantSigningKey } from '../src/tenant/auth/tenant-jwt.constants.js';
import type { Target } from './wrk.js';

/** `count` valid tokens of `target`'s tenant and user, each issued at another instant (all distinct). */
export function freshTokens(target: Target, secret: string, count: number): Target[] {
  const claims = JSON.parse(Buffer.from(target.token.split('.')[1], 'base64url').toString()) as {
    tid: string;
    sub: string;
  };
  const sign = createSigner({ key: tenantSigningKey(secret, claims.tid), algorithm: 'HS256' });
  const now = Date.now() / 1000;
  return Array.from({ length: count }, (_, i) => ({
    slug: target.slug,
    token: sign({
      typ: TENANT_JWT.type,
      tid: claims.tid,
      sub: claims.sub,
      aud: TENANT_JWT.audience,
      iss: TENANT_JWT.issuer,
      iat: now - i / 1000,
      exp: now - i / 1000 + 900,
    }),
  }));
}
