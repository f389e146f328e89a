import { createHmac } from 'node:crypto';

/** The tenant (user) token context: its own key per tenant, audience and type; never the core's. */
export const TENANT_JWT = {
  algorithm: 'HS256',
  audience: 'tenantry:tenant',
  issuer: 'tenantry',
  type: 'tenant+access',
} as const;

export interface TenantJwtPayload {
  sub: string;
  tid: string;
  typ: string;
  iat: number;
  /** The issue instant in milliseconds (session-cutoff.ts). */
  ims?: number;
  exp: number;
}

/**
 * Each tenant's signing key is an HMAC of its id under JWT_TENANT_SECRET, so a token minted for one tenant
 * cannot verify under another even if the `tid` check were forgotten.
 */
export function tenantSigningKey(secret: string, tenantId: string): Buffer {
  return createHmac('sha256', secret).update(`tenant-jwt:${tenantId}`).digest();
}
