import jwt from 'jsonwebtoken';
import { TENANT_JWT, tenantSigningKey } from '../src/tenant/auth/tenant-jwt.constants.js';
import type { Target } from './wrk.js';

/** `count` valid tokens of `target`'s tenant and user, each issued at another instant (all distinct). */
export function freshTokens(target: Target, secret: string, count: number): Target[] {
  const claims = JSON.parse(Buffer.from(target.token.split('.')[1], 'base64url').toString()) as {
    tid: string;
    sub: string;
  };
  const key = tenantSigningKey(secret, claims.tid);
  const now = Date.now() / 1000;
  return Array.from({ length: count }, (_, i) => ({
    slug: target.slug,
    // As the service signs them (tenant-token.service.ts): iat with milliseconds, 15 minutes of life.
    token: jwt.sign({ typ: TENANT_JWT.type, tid: claims.tid, iat: now - i / 1000 }, key, {
      algorithm: 'HS256',
      audience: TENANT_JWT.audience,
      issuer: TENANT_JWT.issuer,
      subject: claims.sub,
      expiresIn: 900,
    }),
  }));
}
