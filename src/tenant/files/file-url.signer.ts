import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { UUID } from '../../common/validation/uuid.js';

export interface SignedFile {
  tenantId: string;
  fileId: string;
}

/** The query of a signed link: tenant, expiry (epoch seconds), MAC. */
export interface SignedQuery {
  t?: string;
  e?: string;
  s?: string;
}

/**
 * The service's own signed file URLs (local disk store): `/files/signed/<file id>?t=<tenant id>&e=<expiry>
 * &s=<mac>`, an HMAC of all three under a key derived from the tenant JWT secret for this purpose only. It
 * names one file of one tenant and stops working at its expiry; nothing else is needed to use it.
 */
@Injectable()
export class FileUrlSigner {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.jwt.tenantSecret).update('tenantry:file-url').digest();
  }

  /** The path and query of a link to `file` valid until `expiresAt`. */
  sign(file: SignedFile, expiresAt: Date): string {
    const expiry = String(Math.floor(expiresAt.getTime() / 1000));
    const mac = this.mac(`${file.tenantId}.${file.fileId}.${expiry}`);
    return `${file.fileId}?t=${file.tenantId}&e=${expiry}&s=${mac}`;
  }

  /** The file a link names, or null when it is forged, malformed or expired. */
  verify(fileId: string, query: SignedQuery, now = Date.now()): SignedFile | null {
    const { t: tenantId, e: expiry, s: mac } = query;
    if (typeof tenantId !== 'string' || typeof expiry !== 'string' || typeof mac !== 'string') return null;
    if (!UUID.test(tenantId) || !UUID.test(fileId) || !/^\d{1,12}$/.test(expiry)) return null;
    const expected = Buffer.from(this.mac(`${tenantId}.${fileId}.${expiry}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (Number(expiry) * 1000 <= now) return null;
    return { tenantId, fileId };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
