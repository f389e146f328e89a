import { check, clientFor, done, failed, type FlowContext, ok } from './client-kit.js';

export interface OwnerSession {
  email: string;
  password: string;
  coreToken: string;
  slug: string;
}

/** An owner registers, verifies the mailed token, signs in and onboards an organization. */
export async function ownerFlow(ctx: FlowContext, run: string): Promise<OwnerSession> {
  const email = `client-${run}@example.com`;
  const password = 'a client flow password 42';
  const slug = `client-${run}`;
  const anonymous = clientFor(ctx);

  const weak = await anonymous.POST('/api/v1/core/auth/register', {
    body: { email, password: 'short', name: 'Client Owner' },
  });
  check(
    failed(weak, 400, 'VALIDATION_FAILED').errors?.some((e) => e.field === 'password') === true,
    'field errors',
  );
  const owner = ok(
    await anonymous.POST('/api/v1/core/auth/register', { body: { email, password, name: 'Client Owner' } }),
    201,
  );
  check(owner.email === email, 'registered email');
  failed(
    await anonymous.POST('/api/v1/core/auth/login', { body: { email, password } }),
    403,
    'EMAIL_NOT_VERIFIED',
  );
  const token = await ctx.verificationToken(email);
  failed(
    await anonymous.POST('/api/v1/core/auth/verify-email', { body: { token: 'not-a-token' } }),
    400,
    'INVALID_VERIFICATION_TOKEN',
  );
  check(ok(await anonymous.POST('/api/v1/core/auth/verify-email', { body: { token } })).verified, 'verified');
  failed(
    await anonymous.POST('/api/v1/core/auth/login', { body: { email, password: 'wrong password 42' } }),
    401,
    'INVALID_CREDENTIALS',
  );
  const pair = ok(await anonymous.POST('/api/v1/core/auth/login', { body: { email, password } }));
  const refreshed = ok(
    await anonymous.POST('/api/v1/core/auth/refresh', { body: { refreshToken: pair.refreshToken } }),
  );
  failed(
    await anonymous.POST('/api/v1/core/auth/refresh', { body: { refreshToken: pair.refreshToken } }),
    401,
    'REFRESH_TOKEN_REUSED',
  );
  const relogin = ok(await anonymous.POST('/api/v1/core/auth/login', { body: { email, password } }));
  const core = clientFor(ctx, { token: relogin.accessToken });
  failed(
    await clientFor(ctx, { token: `${refreshed.accessToken}x` }).GET('/api/v1/core/me'),
    401,
    'INVALID_TOKEN',
  );
  check(ok(await core.GET('/api/v1/core/me')).id === owner.id, 'me');

  const org = ok(await core.POST('/api/v1/core/organizations', { body: { name: 'Client Co', slug } }), 201);
  check(org.status === 'active' && typeof org.schemaVersion === 'string', 'onboarded, migrated');
  // A retried onboarding (the owner's own slug) answers with the organization it made, not a second one.
  const retry = ok(await core.POST('/api/v1/core/organizations', { body: { name: 'Client Co', slug } }), 201);
  check(retry.id === org.id, 'onboarding retry is idempotent');
  const page = ok(
    await core.GET('/api/v1/core/organizations', { params: { query: { includeTotal: true } } }),
  );
  check(page.total === 1 && page.data[0].slug === slug, 'organization list with total');
  ok(await core.GET('/api/v1/core/organizations/{slug}', { params: { path: { slug } } }));
  failed(
    await core.GET('/api/v1/core/organizations/{slug}', { params: { path: { slug: 'no-such-org' } } }),
    404,
    'ORGANIZATION_NOT_FOUND',
  );
  const settings = ok(
    await core.GET('/api/v1/core/organizations/{slug}/settings', { params: { path: { slug } } }),
  );
  check(settings.features.files && settings.limits.maxUsers === null, 'default settings');
  ok(await core.GET('/api/v1/core/organizations/{slug}/usage', { params: { path: { slug } } }));
  done(await anonymous.POST('/api/v1/core/auth/forgot-password', { body: { email } }), 202);
  return { email, password, coreToken: relogin.accessToken, slug };
}

/** The owner suspends the organization: its tenant routes answer 403 TENANT_SUSPENDED until it resumes. */
export async function suspendAndResume(
  ctx: FlowContext,
  owner: OwnerSession,
  tenantToken: string,
): Promise<void> {
  const core = clientFor(ctx, { token: owner.coreToken });
  const tenant = clientFor(ctx, { token: tenantToken, tenant: owner.slug });
  const path = { slug: owner.slug };
  check(
    ok(await core.POST('/api/v1/core/organizations/{slug}/suspend', { params: { path } })).status ===
      'suspended',
    'suspended',
  );
  failed(await tenant.GET('/api/v1/users/me'), 403, 'TENANT_SUSPENDED');
  failed(
    await core.POST('/api/v1/core/organizations/{slug}/restore', { params: { path } }),
    409,
    'INVALID_TRANSITION',
  );
  ok(await core.POST('/api/v1/core/organizations/{slug}/resume', { params: { path } }));
  ok(await tenant.GET('/api/v1/users/me'));
}
