import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UUID } from '../ids/uuid.js';

/** What a signed link names: one object of one tenant. */
export interface SignedTarget {
  tenantId: string;
  objectId: string;
}

/** The query of a signed link: tenant, expiry (epoch seconds), MAC. */
export interface SignedQuery {
  t?: string;
  e?: string;
  s?: string;
}

/**
 * Links that need no token: `<object id>?t=<tenant id>&e=<expiry>&s=<mac>`, an HMAC of all three under a key
 * derived from `secret` for one `purpose` only (a file link is no export link). A link names one object of one
 * tenant and stops working at its expiry.
 */
export class SignedLinks {
  private readonly key: Buffer;

  constructor(secret: string, purpose: string) {
    this.key = createHmac('sha256', secret).update(`tenantry:${purpose}`).digest();
  }

  /** The last path segment and query of a link to `target` valid until `expiresAt`. */
  sign(target: SignedTarget, expiresAt: Date): string {
    const expiry = String(Math.floor(expiresAt.getTime() / 1000));
    const mac = this.mac(`${target.tenantId}.${target.objectId}.${expiry}`);
    return `${target.objectId}?t=${target.tenantId}&e=${expiry}&s=${mac}`;
  }

  /** What a link names, or null when it is forged, malformed or expired. */
  verify(objectId: string, query: SignedQuery, now = Date.now()): SignedTarget | null {
    const { t: tenantId, e: expiry, s: mac } = query;
    if (typeof tenantId !== 'string' || typeof expiry !== 'string' || typeof mac !== 'string') return null;
    if (!UUID.test(tenantId) || !UUID.test(objectId) || !/^\d{1,12}$/.test(expiry)) return null;
    const expected = Buffer.from(this.mac(`${tenantId}.${objectId}.${expiry}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (Number(expiry) * 1000 <= now) return null;
    return { tenantId, objectId };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** The OpenAPI description of a signed link's query, for the routes that serve one. */
export const ApiSignedLinkQuery = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 't', type: String, description: 'tenant id' }),
    ApiQuery({ name: 'e', type: String, description: 'expiry (epoch seconds)' }),
    ApiQuery({ name: 's', type: String, description: 'signature' }),
  );
