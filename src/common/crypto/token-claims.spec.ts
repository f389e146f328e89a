import { claimsWithinPolicy, IAT_LEEWAY_SECONDS } from './token-claims.js';

describe('claimsWithinPolicy (RFC 8725 checks on our own tokens)', () => {
  const now = 1_800_000_000_000;
  const iat = now / 1000;

  it('accepts a token as the service issues it', () => {
    expect(claimsWithinPolicy({ iat, exp: iat + 900, aud: 'tenantry-tenant' }, 900, now)).toBe(true);
  });

  it.each([
    ['an iat in the future beyond the leeway', { iat: iat + IAT_LEEWAY_SECONDS + 5, exp: iat + 900 }],
    ['a lifetime longer than the access-token lifetime', { iat, exp: iat + 86_400 }],
    ['an aud array', { iat, exp: iat + 900, aud: ['tenantry-tenant'] }],
    ['no iat', { exp: iat + 900 }],
  ])('refuses %s', (_, claims) => {
    expect(claimsWithinPolicy({ aud: 'tenantry-tenant', ...claims }, 900, now)).toBe(false);
  });
});
