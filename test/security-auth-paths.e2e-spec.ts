import jwt from 'jsonwebtoken';
import { CORE_JWT } from '../src/core/auth/core-jwt.constants.js';
import { TENANT_JWT, tenantSigningKey } from '../src/tenant/auth/tenant-jwt.constants.js';
import { TenantWorld } from './support/domain.js';
import { PASSWORD, queryServer, tenantHeaders } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';

const ENCODED_LOGINS = [
  '/api/v1/core/%61uth/login',
  '/api/%761/core/auth/login',
  '/api/v1/core/auth/%6cogin',
];

/**
 * Issue 20, finding 2 and "Also" (production configuration): the per-IP auth limit and the 16 KiB auth body
 * limit hold for percent-encoded paths (they tested the raw URL; now the matched route decides); tokens
 * signed with the right key but with an `iat` in the future, a lifetime over the access-token lifetime, or
 * an `aud` array are refused; the registration's verification mail counts toward the mail limit.
 */
describe('security: auth routes by their matched path, token claims, mail count', () => {
  let t: TestApp;
  let w: TenantWorld;
  beforeAll(async () => {
    t = await startTestApp({
      ...PRODUCTION_ENV,
      AUTH_REQUESTS_PER_IP_PER_MINUTE: '1000000',
      MAILS_PER_ADDRESS_PER_HOUR: '3',
      LOGIN_FAILURES_PER_ACCOUNT: '5',
    });
    w = await TenantWorld.create(t, 'auth-paths');
  }, 60_000);
  afterAll(() => t?.close());

  it('refuses a 500 KB body on a percent-encoded auth path with 413, before parsing it', async () => {
    const big = { email: 'a@example.com', password: 'x'.repeat(500_000) };
    for (const path of [...ENCODED_LOGINS, '/api/v1/%61uth/login']) {
      const res = await t.http.post(path, big, { headers: tenantHeaders(w.slug) });
      expect({ path, status: res.status, code: res.body?.code }).toEqual({
        path,
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      });
    }
  });

  it('refuses tokens with a future iat, an over-long lifetime or an aud array, in both contexts', async () => {
    const now = Math.floor(Date.now() / 1000);
    const core = (claims: Record<string, unknown>) =>
      jwt.sign(
        { typ: CORE_JWT.type, sub: w.owner.id, iss: CORE_JWT.issuer, aud: CORE_JWT.audience, ...claims },
        PRODUCTION_ENV.JWT_CORE_SECRET,
        { algorithm: 'HS256' },
      );
    const [{ id: tenantId }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
    const tenant = (claims: Record<string, unknown>) =>
      jwt.sign(
        {
          typ: TENANT_JWT.type,
          tid: tenantId,
          sub: w.ids.staff,
          iss: TENANT_JWT.issuer,
          aud: TENANT_JWT.audience,
          ...claims,
        },
        tenantSigningKey(PRODUCTION_ENV.JWT_TENANT_SECRET, tenantId),
        { algorithm: 'HS256' },
      );
    const coreMe = (token: string) => t.http.get('/api/v1/core/me', { token });
    const tenantMe = (token: string) =>
      t.http.get('/api/v1/users/me', { token, headers: tenantHeaders(w.slug) });
    // The same claims as the service issues are accepted: the refusals below are the claims' doing.
    expect((await coreMe(core({ iat: now, exp: now + 900 }))).status).toBe(200);
    expect((await tenantMe(tenant({ iat: now, exp: now + 900 }))).status).toBe(200);
    const bad = {
      'an iat an hour ahead': { iat: now + 3600, exp: now + 3600 + 900 },
      'a lifetime of a day': { iat: now, exp: now + 86_400 },
    };
    for (const [name, claims] of Object.entries(bad)) {
      expect({ name, core: (await coreMe(core(claims))).status }).toEqual({ name, core: 401 });
      expect({ name, tenant: (await tenantMe(tenant(claims))).status }).toEqual({ name, tenant: 401 });
    }
    const arrayAud = { iat: now, exp: now + 900 };
    expect((await coreMe(core({ ...arrayAud, aud: [CORE_JWT.audience, 'other'] }))).status).toBe(401);
    expect((await tenantMe(tenant({ ...arrayAud, aud: [TENANT_JWT.audience] }))).status).toBe(401);
  });

  it('issues tokens whose iat and exp are whole seconds, in both contexts (issue 22: RFC 7519 NumericDate)', async () => {
    const claims = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number; exp: number };
    for (const token of [w.owner.token, w.tokens.staff]) {
      const { iat, exp } = claims(token);
      expect({ iat: Number.isInteger(iat), exp: Number.isInteger(exp), life: exp - iat }).toEqual({
        iat: true,
        exp: true,
        life: 900,
      });
    }
  });

  it('counts the registration mail toward MAILS_PER_ADDRESS_PER_HOUR (3): register + 3 resends = 3 mails', async () => {
    const email = 'counted-mails@example.com';
    const reg = await t.http.post('/api/v1/core/auth/register', {
      email,
      password: PASSWORD,
      name: 'Counted',
    });
    expect(reg.status).toBe(201);
    for (let i = 0; i < 3; i++)
      expect((await t.http.post('/api/v1/core/auth/resend-verification', { email })).status).toBe(202);
    const [{ n }] = await queryServer<{ n: number }>(
      t.coreUrl,
      'SELECT count(*)::int AS n FROM mail_outbox WHERE recipient = $1',
      [email],
    );
    expect(n).toBe(3);
  });

  it('counts wrong currentPassword guesses like failed logins (a stolen session cannot guess on)', async () => {
    const change = (currentPassword: string) =>
      w
        .as('staff')
        .patch(`/api/v1/users/${w.ids.staff}`, { password: 'another strong passphrase 9', currentPassword });
    for (let i = 0; i < 5; i++) expect((await change(`wrong guess number ${i}`)).status).toBe(400);
    const limited = await change(PASSWORD);
    expect({ status: limited.status, code: limited.body.code }).toEqual({
      status: 429,
      code: 'RATE_LIMITED',
    });
  });

  // Last: closing a second app of the same process ends TypeORM's shared default data source.
  describe('with 20 auth requests per IP per minute', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await startTestApp({
        ...PRODUCTION_ENV,
        DATABASE_URL: t.coreUrl,
        AUTH_REQUESTS_PER_IP_PER_MINUTE: '20',
      });
    });
    afterAll(() => limited?.app.close());

    it('counts encoded paths toward the limit and refuses them past it, core and tenant', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 15; i++) {
        const path = ENCODED_LOGINS[i % ENCODED_LOGINS.length];
        statuses.push(
          (await limited.http.post(path, { email: 'n@example.com', password: 'wrong one!' })).status,
        );
      }
      // Bodies the parser refuses count too: the limit is counted before a body is read.
      for (let i = 0; i < 5; i++)
        statuses.push((await limited.http.post(ENCODED_LOGINS[0], undefined, { raw: '{not json' })).status);
      expect(statuses).toEqual([...Array(15).fill(401), ...Array(5).fill(400)]);
      expect((await limited.http.post('/api/v1/core/auth/login', {})).status).toBe(429);
      for (const path of ENCODED_LOGINS) {
        const res = await limited.http.post(path, { email: 'n@example.com', password: 'wrong one!' });
        expect({ path, status: res.status, code: res.body?.code }).toEqual({
          path,
          status: 429,
          code: 'RATE_LIMITED',
        });
      }
      const tenant = await limited.http.post(
        '/api/v1/%61uth/login',
        { email: 'n@example.com', password: 'wrong one!' },
        { headers: tenantHeaders(w.slug) },
      );
      expect(tenant.status).toBe(429);
      // Other routes are not counted.
      expect((await limited.http.get('/api/v1/core/me')).status).toBe(401);
    });
  });
});
