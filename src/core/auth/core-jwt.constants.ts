/** The core (owner) token context. The tenant context has its own key, audience and type. */
export const CORE_JWT = {
  strategy: 'core-jwt',
  algorithm: 'HS256',
  audience: 'tenantry:core',
  issuer: 'tenantry',
  type: 'core+access',
} as const;

export interface CoreJwtPayload {
  sub: string;
  typ: string;
  aud: string;
  iss: string;
  iat: number;
  /** The issue instant in milliseconds (session-cutoff.ts). */
  ims?: number;
  exp: number;
}
