import { TenantWorld } from './support/domain.js';
import { PASSWORD, queryServer, tenantHeaders } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { testServerUrl } from './support/servers.js';

/**
 * Issue 9, findings 5, 6 and 10: an organization keeps a way in (OWNER_PROTECTED, LAST_ADMIN); only the
 * requester or an admin writes a draft and nobody approves what they wrote; logout and password changes end
 * the access tokens issued before them at once, and one's own password changes only with the current one.
 */
describe('security: admins, purchase-request authorship, sessions', () => {
  let t: TestApp;
  let w: TenantWorld;

  beforeAll(async () => {
    t = await startTestApp(PRODUCTION_ENV);
    w = await TenantWorld.create(t, 'sec-roles');
  });
  afterAll(() => t?.close());

  const tenantDb = async () => {
    const [{ id }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
    return withDatabase(testServerUrl(), tenantIdentity(id).dbName);
  };

  describe('finding 5: the organization keeps a way in', () => {
    it("refuses to demote or deactivate the owner's admin user (OWNER_PROTECTED)", async () => {
      const second = await w.created(
        w.as('admin').post('/api/v1/users', {
          email: 'second-admin@example.com',
          password: PASSWORD,
          name: 'Second',
          role: 'admin',
        }),
      );
      const login = await t.http.post(
        '/api/v1/auth/login',
        { email: 'second-admin@example.com', password: PASSWORD },
        { headers: tenantHeaders(w.slug) },
      );
      const other = { token: login.body.accessToken, headers: tenantHeaders(w.slug) };
      const demote = await t.http.patch(`/api/v1/users/${w.ids.admin}`, { role: 'staff' }, other);
      expect(demote.status).toBe(409);
      expect(demote.body.code).toBe('OWNER_PROTECTED');
      const deactivate = await t.http.delete(`/api/v1/users/${w.ids.admin}`, undefined, other);
      expect(deactivate.body.code).toBe('OWNER_PROTECTED');
      expect((await w.as('admin').get('/api/v1/users/me')).body).toMatchObject({
        role: 'admin',
        isActive: true,
      });
      // Another admin may still step down while the owner remains.
      expect((await t.http.patch(`/api/v1/users/${second.id}`, { role: 'manager' }, other)).status).toBe(200);
    });

    it('refuses to demote the last active admin (LAST_ADMIN)', async () => {
      // An organization whose owner flag was lost (e.g. restored from elsewhere): the rule still holds.
      await queryServer(await tenantDb(), 'UPDATE users SET is_owner = false');
      const res = await w.as('admin').patch(`/api/v1/users/${w.ids.admin}`, { role: 'manager' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('LAST_ADMIN');
      await queryServer(await tenantDb(), 'UPDATE users SET is_owner = true WHERE id = $1', [w.ids.admin]);
    });
  });

  describe('finding 6: who writes and who approves a purchase request', () => {
    let product: { id: string };
    beforeAll(async () => {
      product = await w.product();
    });
    const draft = (role: 'manager' | 'staff') =>
      w.created(
        w.as(role).post('/api/v1/purchase-requests', { lines: [{ productId: product.id, quantity: 1 }] }),
      );

    it('lets nobody but the requester or an admin edit or submit a draft', async () => {
      const pr = await draft('staff');
      const rewrite = await w.as('manager').patch(`/api/v1/purchase-requests/${pr.id}`, {
        lines: [{ productId: product.id, quantity: 999999, unitPriceCents: 1000000 }],
      });
      expect(rewrite.status).toBe(403);
      expect(rewrite.body.code).toBe('FORBIDDEN');
      const submit = await w.as('manager').post(`/api/v1/purchase-requests/${pr.id}/submit`);
      expect(submit.status).toBe(403);
      const mine = await draft('manager');
      expect((await w.as('staff').post(`/api/v1/purchase-requests/${mine.id}/submit`)).status).toBe(403);
    });

    it('refuses approval by whoever wrote the lines (SELF_APPROVAL), even an admin', async () => {
      const pr = await draft('staff');
      const edited = await w.as('admin').patch(`/api/v1/purchase-requests/${pr.id}`, {
        lines: [{ productId: product.id, quantity: 5 }],
      });
      expect(edited.status).toBe(200);
      expect((await w.as('staff').post(`/api/v1/purchase-requests/${pr.id}/submit`)).status).toBe(200);
      const approve = await w.as('admin').post(`/api/v1/purchase-requests/${pr.id}/approve`);
      expect(approve.status).toBe(409);
      expect(approve.body.code).toBe('SELF_APPROVAL');
      expect((await w.as('manager').post(`/api/v1/purchase-requests/${pr.id}/approve`)).status).toBe(200);
    });
  });

  describe('finding 10: tokens end with the session', () => {
    const staffLogin = async (password = PASSWORD) => {
      const res = await t.http.post(
        '/api/v1/auth/login',
        { email: `staff@${w.slug}.example.com`, password },
        { headers: tenantHeaders(w.slug) },
      );
      expect(res.status).toBe(200);
      return res.body as { accessToken: string; refreshToken: string };
    };
    const me = (token: string) => t.http.get('/api/v1/users/me', { token, headers: tenantHeaders(w.slug) });

    it('a tenant logout ends the access tokens issued before it at once', async () => {
      const pair = await staffLogin();
      expect((await me(pair.accessToken)).status).toBe(200);
      const out = await t.http.post(
        '/api/v1/auth/logout',
        { refreshToken: pair.refreshToken },
        { token: pair.accessToken, headers: tenantHeaders(w.slug) },
      );
      expect(out.status).toBe(204);
      const after = await me(pair.accessToken);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('INVALID_TOKEN');
      // A new login right away works.
      expect((await me((await staffLogin()).accessToken)).status).toBe(200);
    });

    it('changing one’s own password needs the current one, and ends older tokens', async () => {
      const pair = await staffLogin();
      const opts = { token: pair.accessToken, headers: tenantHeaders(w.slug) };
      const path = `/api/v1/users/${w.ids.staff}`;
      const missing = await t.http.patch(path, { password: 'another strong passphrase 7' }, opts);
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].field).toBe('currentPassword');
      const wrong = await t.http.patch(
        path,
        { password: 'another strong passphrase 7', currentPassword: 'not it at all' },
        opts,
      );
      expect(wrong.status).toBe(400);
      const changed = await t.http.patch(
        path,
        { password: 'another strong passphrase 7', currentPassword: PASSWORD },
        opts,
      );
      expect(changed.status).toBe(200);
      expect((await me(pair.accessToken)).status).toBe(401);
      await staffLogin('another strong passphrase 7');
    });

    it('an owner logout and a password reset end the owner’s core access tokens at once', async () => {
      const login = await t.http.post('/api/v1/core/auth/login', {
        email: w.owner.email,
        password: PASSWORD,
      });
      const core = (token: string) => t.http.get('/api/v1/core/me', { token });
      expect((await core(login.body.accessToken)).status).toBe(200);
      await t.http.post(
        '/api/v1/core/auth/logout',
        { refreshToken: login.body.refreshToken },
        { token: login.body.accessToken },
      );
      expect((await core(login.body.accessToken)).status).toBe(401);

      const again = await t.http.post('/api/v1/core/auth/login', {
        email: w.owner.email,
        password: PASSWORD,
      });
      expect((await core(again.body.accessToken)).status).toBe(200);
      await t.http.post('/api/v1/core/auth/forgot-password', { email: w.owner.email });
      const [mail] = await queryServer<{ body: string }>(
        t.coreUrl,
        `SELECT body FROM mail_outbox WHERE recipient = $1 AND subject LIKE '%password%' ORDER BY created_at DESC LIMIT 1`,
        [w.owner.email],
      );
      const token = /token: (\S+)/.exec(mail.body)![1];
      const reset = await t.http.post('/api/v1/core/auth/reset-password', {
        token,
        password: 'a brand new passphrase 9',
      });
      expect(reset.status).toBe(204);
      expect((await core(again.body.accessToken)).status).toBe(401);
    });
  });

  describe("finding 1: the owner's admin user follows the owner's core account", () => {
    it('after a core password reset, the old password works in no organization and old tenant sessions end', async () => {
      const second = await TenantWorld.create(t, 'sec-follow', 'follow@example.com');
      await t.http.post(
        '/api/v1/core/organizations',
        { name: 'sec-follow-2', slug: 'sec-follow-2' },
        { token: second.owner.token },
      );
      const tenantLogin = (slug: string, password: string) =>
        t.http.post(
          '/api/v1/auth/login',
          { email: 'follow@example.com', password },
          { headers: tenantHeaders(slug) },
        );
      const before = await tenantLogin('sec-follow-2', PASSWORD);
      expect(before.status).toBe(200);

      await t.http.post('/api/v1/core/auth/forgot-password', { email: 'follow@example.com' });
      const [mail] = await queryServer<{ body: string }>(
        t.coreUrl,
        `SELECT body FROM mail_outbox WHERE recipient = $1 AND subject LIKE '%password%' ORDER BY created_at DESC LIMIT 1`,
        ['follow@example.com'],
      );
      const fresh = 'a fresh passphrase 77'; // must not contain the local part 'follow' (WEAK_PASSWORD)
      const reset = await t.http.post('/api/v1/core/auth/reset-password', {
        token: /token: (\S+)/.exec(mail.body)![1],
        password: fresh,
      });
      expect(reset.status).toBe(204);

      for (const slug of ['sec-follow', 'sec-follow-2']) {
        const old = await tenantLogin(slug, PASSWORD);
        expect(old.status).toBe(401);
        expect(old.body.code).toBe('INVALID_CREDENTIALS');
        expect((await tenantLogin(slug, fresh)).status).toBe(200);
      }
      const refresh = await t.http.post(
        '/api/v1/auth/refresh',
        { refreshToken: before.body.refreshToken },
        { headers: tenantHeaders('sec-follow-2') },
      );
      expect(refresh.status).toBe(401);
      const me = await t.http.get('/api/v1/users/me', {
        token: second.tokens.admin,
        headers: tenantHeaders('sec-follow'),
      });
      expect(me.status).toBe(401);
    });
  });
});
