import pg from 'pg';
import { runCli } from './support/cli.js';
import { TenantWorld } from './support/domain.js';
import { expectProblem } from './support/http.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';

const NEW_PASSWORD = 'violet lanterns over quiet harbours';

async function coreRows<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The operator plane: a third token context (operators:create → one-time password → first login replaces it),
 * isolated from owners' and tenant users' contexts both ways, and every action recorded in the core database.
 */
describe('operators', () => {
  let t: TestApp;
  let w: TenantWorld;
  let access: string;
  let refresh: string;
  const cli = (args: string[]) => runCli(args, { DATABASE_URL: t.coreUrl });

  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'ops-acme');
    const created = await cli(['operators:create', '--email', 'Ops@Example.com']);
    expect(created.code).toBe(0);
    const oneTime = /password: (\S+)/.exec(created.stdout)![1];
    const login = (body: object) => t.http.post('/api/v1/operator/auth/login', body);
    expectProblem(
      await login({ email: 'ops@example.com', password: oneTime }),
      403,
      'PASSWORD_CHANGE_REQUIRED',
    );
    expectProblem(
      await login({ email: 'ops@example.com', password: oneTime, newPassword: 'password123' }),
      400,
      'WEAK_PASSWORD',
    );
    // The one-time password cannot become the permanent one.
    expectProblem(
      await login({ email: 'ops@example.com', password: oneTime, newPassword: oneTime }),
      400,
      'VALIDATION_FAILED',
    );
    const first = await login({ email: 'ops@example.com', password: oneTime, newPassword: NEW_PASSWORD });
    expect(first.status).toBe(200);
    // The one-time password is spent.
    expectProblem(await login({ email: 'ops@example.com', password: oneTime }), 401, 'INVALID_CREDENTIALS');
    const second = await login({ email: 'ops@example.com', password: NEW_PASSWORD });
    expect(second.status).toBe(200);
    ({ accessToken: access, refreshToken: refresh } = second.body);
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses a second operator with the same email, and lists them', async () => {
    const again = await cli(['operators:create', '--email', 'ops@example.com']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect((await cli(['operators:list'])).stdout).toMatch(/ops@example\.com\s+active/);
    // An address of any valid length (the audit row names it).
    const long = `${'night-shift-operator'.repeat(3)}@operations.example.com`;
    const created = await cli(['operators:create', '--email', long]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect((await cli(['operators:disable', '--email', long])).code).toBe(0);
  });

  it('keeps the three token contexts apart, both ways (401 INVALID_TOKEN)', async () => {
    const operator = { token: access };
    for (const path of ['/api/v1/core/me', '/api/v1/core/organizations'])
      expectProblem(await t.http.get(path, operator), 401, 'INVALID_TOKEN');
    expectProblem(
      await t.http.get('/api/v1/users/me', { ...operator, headers: { 'x-tenant': w.slug } }),
      401,
      'INVALID_TOKEN',
    );
    for (const token of [w.owner.token, w.tokens.admin, 'not.a.token'])
      expectProblem(await t.http.get('/api/v1/operator/servers', { token }), 401, 'INVALID_TOKEN');
    expectProblem(await t.http.get('/api/v1/operator/tenants'), 401, 'INVALID_TOKEN');
  });

  it('shows the servers with their Postgres, budget and connections, never a password', async () => {
    const res = await t.http.get('/api/v1/operator/servers', { token: access });
    expect(res.status).toBe(200);
    const [primary] = res.body;
    expect(primary).toMatchObject({
      name: 'primary',
      status: 'active',
      tenants: expect.any(Number),
      version: expect.stringMatching(/^\d+/),
      maxConnections: expect.any(Number),
      budget: expect.any(Number),
      pool: { open: expect.any(Number), inUse: expect.any(Number), idle: expect.any(Number), waiting: 0 },
    });
    expect(primary.budget).toBeLessThan(primary.maxConnections);
    expect(JSON.stringify(res.body)).not.toMatch(/password|postgres:\/\/[^@/]*:[^@/]*@/i);
  });

  it('lists the fleet with filters and keyset pages', async () => {
    for (const slug of ['ops-beta', 'ops-gamma'])
      await t.http.post('/api/v1/core/organizations', { name: slug, slug }, { token: w.owner.token });
    const page1 = await t.http.get('/api/v1/operator/tenants?q=ops-&limit=2', { token: access });
    expect(page1.body.data.map((r: { slug: string }) => r.slug)).toEqual(['ops-acme', 'ops-beta']);
    expect(page1.body.data[0]).toMatchObject({
      ownerEmail: w.owner.email,
      status: 'active',
      server: 'primary',
    });
    const page2 = await t.http.get(
      `/api/v1/operator/tenants?q=ops-&limit=2&cursor=${page1.body.nextCursor}`,
      { token: access },
    );
    expect(page2.body).toEqual({ data: [expect.objectContaining({ slug: 'ops-gamma' })], nextCursor: null });
    const byEmail = await t.http.get(
      `/api/v1/operator/tenants?q=${encodeURIComponent(w.owner.email)}&status=active`,
      { token: access },
    );
    expect(byEmail.body.data).toHaveLength(3);
    expectProblem(
      await t.http.get('/api/v1/operator/tenants?status=nonsense', { token: access }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.http.get('/api/v1/operator/tenants?cursor=abc', { token: access }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.http.get('/api/v1/operator/tenants/no-such', { token: access }),
      404,
      'ORGANIZATION_NOT_FOUND',
    );
  });

  it('suspends and resumes a tenant (its routes answer 403, then serve), recording each action and its result', async () => {
    const suspend = await t.http.post(`/api/v1/operator/tenants/${w.slug}/suspend`, undefined, {
      token: access,
    });
    expect([suspend.status, suspend.body.status]).toEqual([200, 'suspended']);
    expectProblem(await w.as('admin').get('/api/v1/users/me'), 403, 'TENANT_SUSPENDED');
    expectProblem(
      await t.http.post(`/api/v1/operator/tenants/${w.slug}/suspend`, undefined, { token: access }),
      409,
      'INVALID_TRANSITION',
    );
    expect(
      (await t.http.post(`/api/v1/operator/tenants/${w.slug}/resume`, undefined, { token: access })).status,
    ).toBe(200);
    expect((await w.as('admin').get('/api/v1/users/me')).status).toBe(200);
    const actions = await coreRows<{
      actor: string;
      action: string;
      tenant_slug: string | null;
      result: string;
    }>(
      t.coreUrl,
      `SELECT actor, action, tenant_slug, result FROM operator_actions ORDER BY created_at, action`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        { actor: 'cli', action: 'create ops@example.com', tenant_slug: null, result: 'ok' },
        { actor: 'ops@example.com', action: 'password', tenant_slug: null, result: 'ok' },
        { actor: 'ops@example.com', action: 'suspend', tenant_slug: w.slug, result: 'ok' },
        { actor: 'ops@example.com', action: 'suspend', tenant_slug: w.slug, result: 'INVALID_TRANSITION' },
        { actor: 'ops@example.com', action: 'resume', tenant_slug: w.slug, result: 'ok' },
      ]),
    );
  });

  it('migrates one tenant now, recording the action', async () => {
    const run = await t.http.post(`/api/v1/operator/tenants/${w.slug}/migrate`, undefined, { token: access });
    expect(run.status).toBe(200);
    const tenant = await t.http.get(`/api/v1/operator/tenants/${w.slug}`, { token: access });
    expect(run.body).toMatchObject({
      slug: w.slug,
      result: 'up-to-date',
      migrations: [],
      to: tenant.body.schemaVersion,
    });
    expectProblem(
      await t.http.post('/api/v1/operator/tenants/no-such/migrate', undefined, { token: access }),
      404,
      'ORGANIZATION_NOT_FOUND',
    );
    const [row] = await coreRows<{ result: string }>(
      t.coreUrl,
      `SELECT result FROM operator_actions WHERE action = 'migrate' AND tenant_slug = $1`,
      [w.slug],
    );
    expect(row.result).toBe('ok');
  });

  it('rotates refresh tokens, and a disabled operator loses every token at once', async () => {
    const rotated = await t.http.post('/api/v1/operator/auth/refresh', { refreshToken: refresh });
    expect(rotated.status).toBe(200);
    expectProblem(
      await t.http.post('/api/v1/operator/auth/refresh', { refreshToken: refresh }),
      401,
      'REFRESH_TOKEN_REUSED',
    );
    // The reuse revoked the whole family: the token the rotation gave is dead too.
    expectProblem(
      await t.http.post('/api/v1/operator/auth/refresh', { refreshToken: rotated.body.refreshToken }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    // A new password given at login replaces the password and ends the sessions before it.
    const changed = await t.http.post('/api/v1/operator/auth/login', {
      email: 'ops@example.com',
      password: NEW_PASSWORD,
      newPassword: `${NEW_PASSWORD} again`,
    });
    expect(changed.status).toBe(200);
    expectProblem(await t.http.get('/api/v1/operator/servers', { token: access }), 401, 'INVALID_TOKEN');
    expect(
      (
        await t.http.post('/api/v1/operator/auth/login', {
          email: 'ops@example.com',
          password: `${NEW_PASSWORD} again`,
          newPassword: NEW_PASSWORD,
        })
      ).status,
    ).toBe(200);
    const fresh = await t.http.post('/api/v1/operator/auth/login', {
      email: 'ops@example.com',
      password: NEW_PASSWORD,
    });
    expect((await cli(['operators:disable', '--email', 'ops@example.com'])).code).toBe(0);
    expectProblem(
      await t.http.get('/api/v1/operator/servers', { token: fresh.body.accessToken }),
      401,
      'INVALID_TOKEN',
    );
    expectProblem(
      await t.http.post('/api/v1/operator/auth/refresh', { refreshToken: fresh.body.refreshToken }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectProblem(
      await t.http.post('/api/v1/operator/auth/login', { email: 'ops@example.com', password: NEW_PASSWORD }),
      401,
      'INVALID_CREDENTIALS',
    );
  });
});

describe('operators in production without JWT_OPERATOR_SECRET', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(PRODUCTION_ENV);
  });
  afterAll(() => t?.close());

  it('keep the operator plane off (404)', async () => {
    expect(
      (await t.http.post('/api/v1/operator/auth/login', { email: 'a@example.com', password: 'x' })).status,
    ).toBe(404);
    expect((await t.http.get('/api/v1/operator/servers', { token: 'x' })).status).toBe(404);
  });
});
