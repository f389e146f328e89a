import { CoreAuthService } from '../../src/core/auth/core-auth.service.js';
import { OrganizationService } from '../../src/core/organizations/organization.service.js';
import { TenantCatalog } from '../../src/tenancy/index.js';
import { type Medium, OWNER_PASSWORD, startMedium } from '../support/medium.js';
import { CommonErrorCode } from '../../src/common/errors/error-code.js';
import { CoreErrorCode } from '../../src/core/errors/core.errors.js';

/** Owner accounts and organizations, called directly on the core database (no HTTP). */
describe('owner and organization services (medium)', () => {
  let md: Medium;
  beforeAll(async () => {
    md = await startMedium();
  });
  afterAll(() => md.close());

  const auth = () => md.get(CoreAuthService);
  const orgs = () => md.get(OrganizationService);
  const lastToken = async (email: string): Promise<string> => {
    const [mail] = await md.core.query(
      'SELECT body FROM mail_outbox WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1',
      [email],
    );
    return /token: (\S+)/.exec(mail.body)![1];
  };

  it('registers, refuses login until the email is verified, then logs in', async () => {
    const email = 'fresh-owner@example.com';
    await auth().register({ email, password: OWNER_PASSWORD, name: 'Fresh' });
    await expect(auth().register({ email, password: OWNER_PASSWORD, name: 'Twin' })).rejects.toMatchObject({
      code: CommonErrorCode.EMAIL_TAKEN,
    });
    await expect(auth().login({ email, password: OWNER_PASSWORD })).rejects.toMatchObject({
      code: CoreErrorCode.EMAIL_NOT_VERIFIED,
    });
    const token = await lastToken(email);
    await auth().verifyEmail(token);
    await expect(auth().verifyEmail(token)).rejects.toMatchObject({
      code: CoreErrorCode.INVALID_VERIFICATION_TOKEN,
    });
    const pair = await auth().login({ email, password: OWNER_PASSWORD });
    expect(pair.tokenType).toBe('Bearer');
  });

  it('a password reset changes the password and ends every session', async () => {
    const email = md.owner.email;
    const session = await auth().login({ email, password: OWNER_PASSWORD });
    await auth().forgotPassword(email);
    const newPassword = 'Another-strong-pass-2026!';
    await auth().resetPassword({ token: await lastToken(email), password: newPassword });
    await expect(auth().login({ email, password: OWNER_PASSWORD })).rejects.toMatchObject({
      code: CommonErrorCode.INVALID_CREDENTIALS,
    });
    await expect(auth().refresh(session.refreshToken)).rejects.toMatchObject({
      code: CommonErrorCode.INVALID_REFRESH_TOKEN,
    });
    await expect(auth().resetPassword({ token: 'unknown', password: newPassword })).rejects.toMatchObject({
      code: CoreErrorCode.INVALID_VERIFICATION_TOKEN,
    });
  });

  it('suspends and resumes, and the catalog serves the new status at once', async () => {
    const suspended = await orgs().setSuspended(md.owner.id, md.slug, true);
    expect(suspended.status).toBe('suspended');
    expect((await md.get(TenantCatalog).findBySlug(md.slug))?.status).toBe('suspended');
    await expect(md.inTenant(async () => 'served')).resolves.toBe('served'); // the runner ignores status
    const resumed = await orgs().setSuspended(md.owner.id, md.slug, false);
    expect(resumed.status).toBe('active');
  });

  it("answers another owner's organization exactly like a missing one", async () => {
    const stranger = '00000000-0000-4000-8000-000000000000';
    await expect(orgs().get(stranger, md.slug)).rejects.toMatchObject({
      code: CoreErrorCode.ORGANIZATION_NOT_FOUND,
    });
    await expect(orgs().get(md.owner.id, 'no-such-org')).rejects.toMatchObject({
      code: CoreErrorCode.ORGANIZATION_NOT_FOUND,
    });
  });

  it('deletes only with the slug repeated, and then drops the database', async () => {
    await md.onboard('doomed-org');
    const [{ db_name: dbName }] = await md.core.query(
      "SELECT db_name FROM organizations WHERE slug = 'doomed-org'",
    );
    await expect(orgs().remove(md.owner.id, 'doomed-org', 'doomed')).rejects.toMatchObject({
      code: CoreErrorCode.CONFIRMATION_MISMATCH,
    });
    await orgs().remove(md.owner.id, 'doomed-org', 'doomed-org');
    const dropped = await md.core.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    expect(dropped).toHaveLength(0);
    await expect(orgs().get(md.owner.id, 'doomed-org')).rejects.toMatchObject({
      code: CoreErrorCode.ORGANIZATION_NOT_FOUND,
    });
  });
});
