import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A server's URLs carry a superuser's password: stored encrypted (AES-256-GCM) under a key derived from
 * TENANT_DB_SECRET — the secret every instance already holds to derive tenant role passwords, so rotating
 * it means the same re-keying for both. Format: `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
const VERSION = 'v1';

function keyOf(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'tenantry', 'database-server-urls', 32));
}

export function sealServerUrl(secret: string, url: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const data = Buffer.concat([cipher.update(url, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function openServerUrl(secret: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined)
    throw new Error('a database server URL is not in the expected sealed format');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new Error(
      'a database server URL cannot be decrypted: TENANT_DB_SECRET differs from the one that sealed it',
    );
  }
}

/** What may be shown of a URL: no user name, no password. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}
