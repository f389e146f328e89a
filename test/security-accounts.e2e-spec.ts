import { UnverifiedOwnerSweep } from '../src/core/owners/unverified-owner.sweep.js';
import { TenantWorld } from './support/domain.js';
import { PASSWORD, queryServer } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';

/** Issue 9, finding 9: account flows — weak passwords, resend and expiry of verification, reset tokens, mails. */
describe('security: account flows', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(PRODUCTION_ENV);
  });
  afterAll(() => t?.close());

  const register = (email: string, password = PASSWORD, name = 'Someone') =>
    t.http.post('/api/v1/core/auth/register', { email, password, name });
  const mails = (email: string) =>
    queryServer<{ subject: string; body: string }>(
      t.coreUrl,
      'SELECT subject, body FROM mail_outbox WHERE recipient = $1 ORDER BY created_at, id',
      [email],
    );
  const tokenOf = (body: string) => /^token: (\S+)$/m.exec(body)![1];

  it('refuses guessable passwords and passwords containing the email (400 WEAK_PASSWORD)', async () => {
    for (const [email, password] of [
      ['weak-1@example.com', 'aaaaaaaaaa'],
      ['weak-2@example.com', 'password1234'],
      ['victorious@example.com', 'victorious-horse-battery'],
    ]) {
      const res = await register(email, password);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('WEAK_PASSWORD');
      expect(res.body.errors[0].field).toBe('password');
    }
    const w = await TenantWorld.create(t, 'sec-accounts');
    const user = await w.as('admin').post('/api/v1/users', {
      email: 'weakling@example.com',
      password: 'qwertyuiop',
      name: 'W',
      role: 'staff',
    });
    expect(user.body.code).toBe('WEAK_PASSWORD');
  });

  it('resends a verification mail to an unverified owner only, and the new token verifies', async () => {
    const email = 'resend@example.com';
    expect((await register(email)).status).toBe(201);
    expect((await t.http.post('/api/v1/core/auth/resend-verification', { email })).status).toBe(202);
    const sent = await mails(email);
    expect(sent).toHaveLength(2);
    const verify = await t.http.post('/api/v1/core/auth/verify-email', { token: tokenOf(sent[1].body) });
    expect(verify.status).toBe(200);
    expect((await t.http.post('/api/v1/core/auth/resend-verification', { email })).status).toBe(202);
    expect(
      (await t.http.post('/api/v1/core/auth/resend-verification', { email: 'nobody@example.com' })).status,
    ).toBe(202);
    expect(await mails(email)).toHaveLength(2);
  });

  it('frees an address left unverified for 7 days', async () => {
    const email = 'squatted@example.com';
    expect((await register(email)).status).toBe(201);
    expect((await register(email)).status).toBe(409);
    await queryServer(
      t.coreUrl,
      `UPDATE owners SET created_at = now() - interval '8 days' WHERE email = $1`,
      [email],
    );
    expect(await t.app.get(UnverifiedOwnerSweep).sweep()).toBe(1);
    expect((await register(email)).status).toBe(201);
  });

  it('using a reset token invalidates every older one', async () => {
    const email = 'resets@example.com';
    await register(email);
    await queryServer(t.coreUrl, 'UPDATE owners SET email_verified_at = now() WHERE email = $1', [email]);
    await t.http.post('/api/v1/core/auth/forgot-password', { email });
    await t.http.post('/api/v1/core/auth/forgot-password', { email });
    const [older, newer] = (await mails(email))
      .filter((m) => m.subject.includes('password'))
      .map((m) => tokenOf(m.body));
    const weak = await t.http.post('/api/v1/core/auth/reset-password', {
      token: newer,
      password: 'aaaaaaaaaa',
    });
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    expect(
      (
        await t.http.post('/api/v1/core/auth/reset-password', {
          token: newer,
          password: 'a fresh passphrase 42',
        })
      ).status,
    ).toBe(204);
    const old = await t.http.post('/api/v1/core/auth/reset-password', {
      token: older,
      password: 'another passphrase 43',
    });
    expect(old.status).toBe(400);
    expect(old.body.code).toBe('INVALID_VERIFICATION_TOKEN');
  });

  it('never puts the name a registrant chose into a mail', async () => {
    const email = 'named@example.com';
    await register(email, PASSWORD, 'Click https://evil.example now');
    const [mail] = await mails(email);
    expect(mail.body).not.toContain('evil');
    expect(mail.body).not.toContain('Click');
  });
});
