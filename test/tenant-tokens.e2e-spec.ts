import jwt from 'jsonwebtoken';
import { tenantSigningKey } from '../src/tenant/auth/tenant-jwt.constants.js';
import { expectProblem } from './support/http.js';
import { adminToken, onboard, Owner, PASSWORD, tenantHeaders, verifiedOwner } from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('two token contexts', () => {
  let t: TestApp;
  let ada: Owner;
  let bob: Owner;
  let a: { id: string };
  let b: { id: string };
  let aLogin: { accessToken: string; refreshToken: string };

  const me = (token: string, slug = 'tok-a') =>
    t.http.get('/api/v1/users/me', { token, headers: tenantHeaders(slug) });

  beforeAll(async () => {
    t = await startTestApp();
    ada = await verifiedOwner(t, 'ada@example.com');
    bob = await verifiedOwner(t, 'bob@example.com');
    a = await onboard(t, ada, 'tok-a');
    b = await onboard(t, bob, 'tok-b');
    aLogin = (
      await t.http.post(
        '/api/v1/auth/login',
        { email: ada.email, password: PASSWORD },
        { headers: tenantHeaders('tok-a') },
      )
    ).body;
  });
  afterAll(() => t?.close());

  it('accepts the tenant token where it belongs', async () => {
    expect((await me(aLogin.accessToken)).status).toBe(200);
  });

  it('rejects every token that does not belong, with 401 INVALID_TOKEN', async () => {
    const sub = (jwt.decode(aLogin.accessToken) as { sub: string }).sub;
    const claims = { typ: 'tenant+access', tid: a.id };
    const base = { audience: 'tenantry:tenant', issuer: 'tenantry', subject: sub, expiresIn: 60 } as const;
    const aKey = tenantSigningKey(t.config.jwt.tenantSecret, a.id);
    const cases: Record<string, [string, string]> = {
      'core token on a tenant route': [ada.token, 'tok-a'],
      'tenant-A token with X-TENANT: b': [aLogin.accessToken, 'tok-b'],
      'refresh token as a bearer': [aLogin.refreshToken, 'tok-a'],
      expired: [jwt.sign(claims, aKey, { ...base, expiresIn: -5 }), 'tok-a'],
      'alg none': [jwt.sign(claims, '', { ...base, algorithm: 'none' }), 'tok-a'],
      'signed with the core key': [jwt.sign(claims, t.config.jwt.coreSecret, base), 'tok-a'],
      'signed with the root tenant secret': [jwt.sign(claims, t.config.jwt.tenantSecret, base), 'tok-a'],
      'core audience': [jwt.sign(claims, aKey, { ...base, audience: 'tenantry:core' }), 'tok-a'],
      'core type': [jwt.sign({ ...claims, typ: 'core+access' }, aKey, base), 'tok-a'],
      'tid of another tenant': [jwt.sign({ ...claims, tid: b.id }, aKey, base), 'tok-a'],
      'HS512 instead of HS256': [jwt.sign(claims, aKey, { ...base, algorithm: 'HS512' }), 'tok-a'],
      garbage: ['not.a.jwt', 'tok-a'],
    };
    for (const [name, [token, slug]] of Object.entries(cases)) {
      const res = await me(token, slug);
      expect({ name, status: res.status, code: res.body?.code }).toEqual({
        name,
        status: 401,
        code: 'INVALID_TOKEN',
      });
    }
    // The same forged claims signed with A's real key do pass: the cases above fail for their one difference.
    expect((await me(jwt.sign(claims, aKey, base))).status).toBe(200);
  });

  it('rejects a tenant token on core routes', async () => {
    expectProblem(await t.http.get('/api/v1/core/me', { token: aLogin.accessToken }), 401, 'INVALID_TOKEN');
    expectProblem(
      await t.http.get('/api/v1/core/organizations', { token: aLogin.accessToken }),
      401,
      'INVALID_TOKEN',
    );
  });

  it('rotates tenant refresh tokens and revokes the family on reuse', async () => {
    const login = await t.http.post(
      '/api/v1/auth/login',
      { email: ada.email, password: PASSWORD },
      { headers: tenantHeaders('tok-a') },
    );
    const r1 = await t.http.post(
      '/api/v1/auth/refresh',
      { refreshToken: login.body.refreshToken },
      { headers: tenantHeaders('tok-a') },
    );
    expect(r1.status).toBe(200);
    // A's refresh token means nothing in B's database.
    expectProblem(
      await t.http.post(
        '/api/v1/auth/refresh',
        { refreshToken: r1.body.refreshToken },
        { headers: tenantHeaders('tok-b') },
      ),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectProblem(
      await t.http.post(
        '/api/v1/auth/refresh',
        { refreshToken: login.body.refreshToken },
        { headers: tenantHeaders('tok-a') },
      ),
      401,
      'REFRESH_TOKEN_REUSED',
    );
    expectProblem(
      await t.http.post(
        '/api/v1/auth/refresh',
        { refreshToken: r1.body.refreshToken },
        { headers: tenantHeaders('tok-a') },
      ),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    const l2 = await t.http.post(
      '/api/v1/auth/login',
      { email: ada.email, password: PASSWORD },
      { headers: tenantHeaders('tok-a') },
    );
    const out = await t.http.post(
      '/api/v1/auth/logout',
      { refreshToken: l2.body.refreshToken },
      { token: l2.body.accessToken, headers: tenantHeaders('tok-a') },
    );
    expect(out.status).toBe(204);
    expectProblem(
      await t.http.post(
        '/api/v1/auth/refresh',
        { refreshToken: l2.body.refreshToken },
        { headers: tenantHeaders('tok-a') },
      ),
      401,
      'INVALID_REFRESH_TOKEN',
    );
  });

  it('exchanges an owner token for the admin user of the owner’s own tenant only', async () => {
    const admin = await adminToken(t, ada, 'tok-a');
    expect((await me(admin)).body).toMatchObject({ email: ada.email, role: 'admin' });
    const other = await t.http.post('/api/v1/auth/exchange', undefined, {
      token: bob.token,
      headers: tenantHeaders('tok-a'),
    });
    expectProblem(other, 403, 'FORBIDDEN');
    expectProblem(
      await t.http.post('/api/v1/auth/exchange', undefined, { headers: tenantHeaders('tok-a') }),
      401,
      'INVALID_TOKEN',
    );
    expectProblem(
      await t.http.post('/api/v1/auth/exchange', undefined, {
        token: aLogin.accessToken,
        headers: tenantHeaders('tok-a'),
      }),
      401,
      'INVALID_TOKEN',
    );
  });

  it('enforces roles, and deactivation stops a user’s tokens at once', async () => {
    const admin = await adminToken(t, ada, 'tok-a');
    const h = { headers: tenantHeaders('tok-a') };
    const staff = await t.http.post(
      '/api/v1/users',
      { email: 'staff@example.com', password: PASSWORD, name: 'S', role: 'staff' },
      { ...h, token: admin },
    );
    expect(staff.status).toBe(201);
    expectProblem(
      await t.http.post(
        '/api/v1/users',
        { email: 'staff@example.com', password: PASSWORD, name: 'S', role: 'staff' },
        { ...h, token: admin },
      ),
      409,
      'EMAIL_TAKEN',
    );
    const s = (await t.http.post('/api/v1/auth/login', { email: 'staff@example.com', password: PASSWORD }, h))
      .body;
    expectProblem(await t.http.get('/api/v1/users', { ...h, token: s.accessToken }), 403, 'FORBIDDEN');
    expectProblem(
      await t.http.post(
        '/api/v1/users',
        { email: 'x@example.com', password: PASSWORD, name: 'X', role: 'admin' },
        { ...h, token: s.accessToken },
      ),
      403,
      'FORBIDDEN',
    );
    // Self-service: name and password only.
    const renamed = await t.http.patch(
      `/api/v1/users/${staff.body.id}`,
      { name: 'Sam' },
      { ...h, token: s.accessToken },
    );
    expect(renamed.body).toMatchObject({ name: 'Sam', role: 'staff' });
    expectProblem(
      await t.http.patch(`/api/v1/users/${staff.body.id}`, { role: 'admin' }, { ...h, token: s.accessToken }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await t.http.get('/api/v1/users/not-a-uuid', { ...h, token: admin }),
      400,
      'VALIDATION_FAILED',
    );

    expect(
      (await t.http.delete(`/api/v1/users/${staff.body.id}`, undefined, { ...h, token: admin })).status,
    ).toBe(204);
    expectProblem(await t.http.get('/api/v1/users/me', { ...h, token: s.accessToken }), 401, 'INVALID_TOKEN');
    expectProblem(
      await t.http.post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }, h),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectProblem(
      await t.http.post('/api/v1/auth/login', { email: 'staff@example.com', password: PASSWORD }, h),
      401,
      'INVALID_CREDENTIALS',
    );
  });
});
