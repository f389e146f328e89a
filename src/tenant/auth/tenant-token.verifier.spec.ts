import jwt from 'jsonwebtoken';
import type { AppConfig } from '../../config/app-config.js';
import { TENANT_JWT, tenantSigningKey } from './tenant-jwt.constants.js';
import { TenantTokenVerifier } from './tenant-token.verifier.js';

const SECRET = 'x'.repeat(64);
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const USER = '33333333-3333-4333-8333-333333333333';

function token(tenantId: string, claims: Record<string, unknown> = {}, expiresIn = 60): string {
  return jwt.sign({ typ: TENANT_JWT.type, tid: tenantId, ...claims }, tenantSigningKey(SECRET, tenantId), {
    algorithm: 'HS256',
    audience: TENANT_JWT.audience,
    issuer: TENANT_JWT.issuer,
    subject: USER,
    expiresIn,
  });
}

describe('TenantTokenVerifier', () => {
  const verifier = new TenantTokenVerifier({
    jwt: { tenantSecret: SECRET, accessTtlSeconds: 900 },
  } as AppConfig);

  it('verifies a valid token, and the same token again from its cache', () => {
    const t = token(A);
    expect(verifier.verify(t, A)).toMatchObject({ sub: USER, tid: A });
    expect(verifier.verify(t, A)).toMatchObject({ sub: USER, tid: A });
  });

  it("refuses a token cached for one tenant when another tenant's header comes with it", () => {
    const t = token(A);
    expect(verifier.verify(t, A)).not.toBeNull();
    expect(verifier.verify(t, B)).toBeNull();
  });

  it('refuses a tampered token whose header and payload were verified before', () => {
    const t = token(A);
    expect(verifier.verify(t, A)).not.toBeNull();
    const [head, body, sig] = t.split('.');
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    expect(verifier.verify(`${head}.${body}.${flipped}`, A)).toBeNull();
    const other = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), sub: B }),
    );
    expect(verifier.verify(`${head}.${other.toString('base64url')}.${sig}`, A)).toBeNull();
  });

  it('refuses a cached token once it has expired', async () => {
    const t = token(A, {}, 1);
    expect(verifier.verify(t, A)).not.toBeNull();
    const exp = (jwt.decode(t) as { exp: number }).exp * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, exp - Date.now()) + 20));
    expect(verifier.verify(t, A)).toBeNull();
  });

  it('refuses tokens of the wrong type or without a signature it can check', () => {
    expect(verifier.verify(token(A, { typ: 'core+access' }), A)).toBeNull();
    expect(
      verifier.verify(jwt.sign({ typ: TENANT_JWT.type, tid: A }, 'other', { expiresIn: 60 }), A),
    ).toBeNull();
    expect(verifier.verify('not.a.token', A)).toBeNull();
  });
});
