import { freePort } from '../src/common/net/free-port.js';
import { expectProblem } from './support/http.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('owner accounts (core JWT context)', () => {
  let t: TestApp;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = new SmtpSink(await freePort());
    await smtp.start();
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const email = 'ada@example.com';
  const password = 'correct horse battery';

  it('register → mail → verify → login → me → refresh → reuse detection → reset password', async () => {
    const reg = await t.http.post('/api/v1/core/auth/register', {
      email: 'Ada@Example.com ',
      password,
      name: 'Ada',
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
      name: 'Ada',
      emailVerified: false,
      createdAt: expect.stringMatching(/Z$/),
    });
    expect(reg.body).not.toHaveProperty('passwordHash');

    expectProblem(
      await t.http.post('/api/v1/core/auth/register', { email, password, name: 'Again' }),
      409,
      'EMAIL_TAKEN',
    );

    // Login before verification: 403.
    expectProblem(
      await t.http.post('/api/v1/core/auth/login', { email, password }),
      403,
      'EMAIL_NOT_VERIFIED',
    );

    const verification = await smtp.waitFor(email, /verify/i);
    const verifyToken = tokenFrom(verification);
    expectProblem(
      await t.http.post('/api/v1/core/auth/verify-email', { token: 'nope' }),
      400,
      'INVALID_VERIFICATION_TOKEN',
    );
    expect((await t.http.post('/api/v1/core/auth/verify-email', { token: verifyToken })).status).toBe(200);
    // Single use.
    expectProblem(
      await t.http.post('/api/v1/core/auth/verify-email', { token: verifyToken }),
      400,
      'INVALID_VERIFICATION_TOKEN',
    );

    const login = await t.http.post('/api/v1/core/auth/login', { email, password });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });

    const me = await t.http.get('/api/v1/core/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: reg.body.id, email, emailVerified: true });
    expectProblem(await t.http.get('/api/v1/core/me'), 401, 'INVALID_TOKEN');
    expectProblem(
      await t.http.get('/api/v1/core/me', { token: login.body.refreshToken }),
      401,
      'INVALID_TOKEN',
    );

    // Rotation: the first refresh works and yields a new pair.
    const r1 = await t.http.post('/api/v1/core/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(login.body.refreshToken);

    // Reusing the rotated token revokes the family, including the token that replaced it.
    expectProblem(
      await t.http.post('/api/v1/core/auth/refresh', { refreshToken: login.body.refreshToken }),
      401,
      'REFRESH_TOKEN_REUSED',
    );
    expectProblem(
      await t.http.post('/api/v1/core/auth/refresh', { refreshToken: r1.body.refreshToken }),
      401,
      'INVALID_REFRESH_TOKEN',
    );

    // A second session, then password reset revokes it.
    const login2 = await t.http.post('/api/v1/core/auth/login', { email, password });
    expect(login2.status).toBe(200);

    const forgot = await t.http.post('/api/v1/core/auth/forgot-password', { email });
    expect(forgot.status).toBe(202);
    const unknownForgot = await t.http.post('/api/v1/core/auth/forgot-password', {
      email: 'nobody@example.com',
    });
    expect(unknownForgot.status).toBe(202);
    expect(unknownForgot.text).toBe(forgot.text);

    const resetToken = tokenFrom(await smtp.waitFor(email, /reset/i));
    const newPassword = 'an even better passphrase';
    const reset = await t.http.post('/api/v1/core/auth/reset-password', {
      token: resetToken,
      password: newPassword,
    });
    expect(reset.status).toBe(204);
    expectProblem(
      await t.http.post('/api/v1/core/auth/reset-password', { token: resetToken, password: newPassword }),
      400,
      'INVALID_VERIFICATION_TOKEN',
    );

    expectProblem(
      await t.http.post('/api/v1/core/auth/refresh', { refreshToken: login2.body.refreshToken }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectProblem(
      await t.http.post('/api/v1/core/auth/login', { email, password }),
      401,
      'INVALID_CREDENTIALS',
    );
    expect((await t.http.post('/api/v1/core/auth/login', { email, password: newPassword })).status).toBe(200);
  });

  it('logout revokes the refresh-token family of the caller only', async () => {
    const login = await t.http.post('/api/v1/core/auth/login', {
      email,
      password: 'an even better passphrase',
    });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body;
    expectProblem(await t.http.post('/api/v1/core/auth/logout', { refreshToken }), 401, 'INVALID_TOKEN');
    expect(
      (await t.http.post('/api/v1/core/auth/logout', { refreshToken }, { token: accessToken })).status,
    ).toBe(204);
    expectProblem(
      await t.http.post('/api/v1/core/auth/refresh', { refreshToken }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
  });

  it('answers a wrong password and an unknown email with byte-identical bodies', async () => {
    const wrong = await t.http.post('/api/v1/core/auth/login', { email, password: 'definitely wrong!' });
    const unknown = await t.http.post('/api/v1/core/auth/login', {
      email: 'ghost@example.com',
      password: 'definitely wrong!',
    });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    expect(unknown.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
    expect(unknown.headers.get('content-type')).toBe(wrong.headers.get('content-type'));
  });

  it('rejects an access token signed with another key, of another audience, or with alg none', async () => {
    const jwt = await import('jsonwebtoken');
    const me = (token: string) => t.http.get('/api/v1/core/me', { token });
    const owner = (
      await t.http.post('/api/v1/core/auth/login', { email, password: 'an even better passphrase' })
    ).body;
    const sub = JSON.parse(Buffer.from(owner.accessToken.split('.')[1], 'base64url').toString()).sub;
    const claims = { sub, typ: 'core+access' };
    const base = { audience: 'tenantry:core', issuer: 'tenantry', expiresIn: 60 } as const;
    const cases = [
      jwt.default.sign(claims, t.config.jwt.tenantSecret, base),
      jwt.default.sign(claims, t.config.jwt.coreSecret, { ...base, audience: 'tenantry:tenant' }),
      jwt.default.sign({ ...claims, typ: 'tenant+access' }, t.config.jwt.coreSecret, base),
      jwt.default.sign(claims, t.config.jwt.coreSecret, { ...base, expiresIn: -10 }),
      jwt.default.sign(claims, '', { ...base, algorithm: 'none' }),
    ];
    for (const token of cases) expectProblem(await me(token), 401, 'INVALID_TOKEN');
    // The control is signed as the service signs: `iat` with milliseconds (session-cutoff.ts), so the password
    // reset earlier in this flow, in the same second, does not cut it off.
    const control = jwt.default.sign({ ...claims, iat: Date.now() / 1000 }, t.config.jwt.coreSecret, base);
    expect((await me(control)).status).toBe(200);
  });
});
