import { TenantAuthService } from '../../src/tenant/auth/tenant-auth.service.js';
import { UserService } from '../../src/tenant/users/user.service.js';
import { type Medium, OWNER_PASSWORD, startMedium } from '../support/medium.js';
import { CommonErrorCode } from '../../src/common/errors/error-code.js';
import { DomainErrorCode } from '../../src/tenant/errors/error-codes.js';

/** Tenant users and their sessions, called directly in a tenant scope on real Postgres. */
describe('tenant users and auth services (medium)', () => {
  let md: Medium;
  beforeAll(async () => {
    md = await startMedium();
  });
  afterAll(() => md.close());

  const users = () => md.get(UserService);
  const auth = () => md.get(TenantAuthService);

  it('logs in the seeded owner admin, and refuses a wrong password like an unknown email', async () => {
    const pair = await md.inTenant(() => auth().login({ email: md.owner.email, password: OWNER_PASSWORD }));
    expect(pair.accessToken.split('.')).toHaveLength(3);
    for (const dto of [
      { email: md.owner.email, password: 'Not-the-password-1!' },
      { email: 'nobody@example.com', password: OWNER_PASSWORD },
    ]) {
      await expect(md.inTenant(() => auth().login(dto))).rejects.toMatchObject({
        code: CommonErrorCode.INVALID_CREDENTIALS,
      });
    }
  });

  it('rotates refresh tokens and revokes the family when an old one is replayed', async () => {
    const first = await md.inTenant(() => auth().login({ email: md.owner.email, password: OWNER_PASSWORD }));
    const second = await md.inTenant(() => auth().refresh(first.refreshToken));
    await expect(md.inTenant(() => auth().refresh(first.refreshToken))).rejects.toMatchObject({
      code: CommonErrorCode.REFRESH_TOKEN_REUSED,
    });
    // The whole family went with it, the newest token included.
    await expect(md.inTenant(() => auth().refresh(second.refreshToken))).rejects.toMatchObject({
      code: CommonErrorCode.INVALID_REFRESH_TOKEN,
    });
  });

  it('refuses a second user with the same email (EMAIL_TAKEN)', async () => {
    const staff = await md.userWith('staff');
    const admin = await md.admin();
    await expect(
      md.inTenant(() =>
        users().create(admin, {
          email: staff.user.email,
          password: OWNER_PASSWORD,
          name: 'Twin',
          role: 'staff',
        }),
      ),
    ).rejects.toMatchObject({ code: CommonErrorCode.EMAIL_TAKEN });
  });

  it('lets a non-admin change only their own name and password', async () => {
    const staff = await md.userWith('staff');
    const other = await md.userWith('auditor');
    const renamed = await md.inTenant(() => users().update(staff, staff.user.id, { name: 'Renamed' }));
    expect(renamed.name).toBe('Renamed');
    await expect(
      md.inTenant(() => users().update(staff, staff.user.id, { role: 'admin' })),
    ).rejects.toMatchObject({
      code: CommonErrorCode.FORBIDDEN,
    });
    await expect(
      md.inTenant(() => users().update(staff, other.user.id, { name: 'X' })),
    ).rejects.toMatchObject({
      code: CommonErrorCode.FORBIDDEN,
    });
  });

  it('deactivating a user ends their login and their refresh tokens', async () => {
    const staff = await md.userWith('staff');
    const pair = await md.inTenant(() => auth().login({ email: staff.user.email, password: OWNER_PASSWORD }));
    await md.inTenant(async () => users().deactivate(await md.admin(), staff.user.id));
    await expect(
      md.inTenant(() => auth().login({ email: staff.user.email, password: OWNER_PASSWORD })),
    ).rejects.toMatchObject({ code: CommonErrorCode.INVALID_CREDENTIALS });
    await expect(md.inTenant(() => auth().refresh(pair.refreshToken))).rejects.toMatchObject({
      code: CommonErrorCode.INVALID_REFRESH_TOKEN,
    });
  });

  it('answers USER_NOT_FOUND for an id of no user', async () => {
    await expect(
      md.inTenant(() => users().get('00000000-0000-4000-8000-000000000000')),
    ).rejects.toMatchObject({
      code: DomainErrorCode.USER_NOT_FOUND,
    });
  });
});
