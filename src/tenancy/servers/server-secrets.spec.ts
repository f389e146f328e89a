import { openServerUrl, redactUrl, sealServerUrl } from './server-secrets.js';

describe('server URL secrets', () => {
  const url = 'postgres://admin:s3cret-p%40ss@db-2.internal:5433/postgres';

  it('seals a URL so that neither the password nor the host shows, and opens it again', () => {
    const sealed = sealServerUrl('the-secret', url);
    expect(sealed).not.toContain('s3cret');
    expect(sealed).not.toContain('db-2');
    expect(openServerUrl('the-secret', sealed)).toBe(url);
    // A fresh IV each time: equal URLs do not give equal ciphertexts.
    expect(sealServerUrl('the-secret', url)).not.toBe(sealed);
  });

  it('refuses another secret and a tampered ciphertext, without echoing either', () => {
    const sealed = sealServerUrl('the-secret', url);
    expect(() => openServerUrl('another-secret', sealed)).toThrow(/TENANT_DB_SECRET/);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('postgres://evil').toString('base64url');
    expect(() => openServerUrl('the-secret', parts.join('.'))).toThrow(/cannot be decrypted/);
    expect(() => openServerUrl('the-secret', 'plain text')).toThrow(/sealed format/);
  });

  it('shows only protocol, host and port', () => {
    expect(redactUrl(url)).toBe('postgres://db-2.internal:5433');
  });
});
