import pg from 'pg';
import { tenantDatabaseUrl, tenantIdentity } from '../src/tenancy/index.js';
import { expectProblem } from './support/http.js';
import { testServerUrl } from './support/servers.js';
import {
  adminToken,
  onboard,
  Owner,
  PASSWORD,
  queryServer,
  tenantHeaders,
  verifiedOwner,
} from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('tenant isolation: one database and one role per organization', () => {
  let t: TestApp;
  let ada: Owner;
  let bob: Owner;
  const orgs: Record<string, { id: string; slug: string }> = {};

  beforeAll(async () => {
    t = await startTestApp();
    ada = await verifiedOwner(t, 'ada@example.com');
    bob = await verifiedOwner(t, 'bob@example.com');
    for (const [owner, slugs] of [
      [ada, ['ada-one', 'ada-two']],
      [bob, ['bob-one', 'bob-two']],
    ] as const) {
      for (const slug of slugs) orgs[slug] = await onboard(t, owner, slug);
    }
  });
  afterAll(() => t?.close());

  it('answers onboarding with the active organization, seeded with the owner as admin', async () => {
    const res = await t.http.get('/api/v1/core/organizations/ada-one', { token: ada.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: 'ada-one', status: 'active', schemaVersion: expect.any(String) });
    // Same email and same password as the owner.
    const login = await t.http.post(
      '/api/v1/auth/login',
      { email: ada.email, password: PASSWORD },
      { headers: tenantHeaders('ada-one') },
    );
    expect(login.status).toBe(200);
    const me = await t.http.get('/api/v1/users/me', {
      token: login.body.accessToken,
      headers: tenantHeaders('ada-one'),
    });
    expect(me.body).toMatchObject({ email: ada.email, role: 'admin', isActive: true });
  });

  it('keeps rows written in one tenant invisible from another', async () => {
    const aToken = await adminToken(t, ada, 'ada-one');
    const created = await t.http.post(
      '/api/v1/users',
      { email: 'only-in-a@example.com', password: PASSWORD, name: 'A', role: 'staff' },
      { token: aToken, headers: tenantHeaders('ada-one') },
    );
    expect(created.status).toBe(201);

    const bToken = await adminToken(t, bob, 'bob-one');
    const listB = await t.http.get('/api/v1/users', { token: bToken, headers: tenantHeaders('bob-one') });
    expect(listB.status).toBe(200);
    expect(listB.body.data.map((u: { email: string }) => u.email)).toEqual([bob.email]);
    // The same id through B's header is not found, never the row.
    const viaB = await t.http.get(`/api/v1/users/${created.body.id}`, {
      token: bToken,
      headers: tenantHeaders('bob-one'),
    });
    expectProblem(viaB, 404, 'USER_NOT_FOUND');
    // Even Ada's own second tenant does not see it.
    const a2 = await adminToken(t, ada, 'ada-two');
    const listA2 = await t.http.get('/api/v1/users', { token: a2, headers: tenantHeaders('ada-two') });
    expect(listA2.body.data).toHaveLength(1);
  });

  it('gives every tenant its own database, owned by its own owner role, closed to the others', async () => {
    const server = testServerUrl();
    const ids = Object.values(orgs).map((o) => o.id);
    const rows = await queryServer<{ datname: string; owner: string; public_connect: boolean }>(
      server,
      `SELECT d.datname, pg_get_userbyid(d.datdba) AS owner,
              has_database_privilege('public', d.oid, 'CONNECT') AS public_connect
         FROM pg_database d WHERE d.datname = ANY($1)`,
      [ids.map((id) => tenantIdentity(id).dbName)],
    );
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.owner).toBe(`${row.datname}_owner`); // roles and database share the derived name
      expect(row.datname).toMatch(/^t_[0-9a-f]{32}$/);
      expect(row.public_connect).toBe(false);
    }

    // A's role may connect to A's database but not to B's.
    const aUrl = tenantDatabaseUrl(server, orgs['ada-one'].id, t.config.tenants.dbSecret);
    const own = new pg.Client({ connectionString: aUrl });
    await own.connect();
    const { rows: tables } = await own.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'users'`);
    expect(tables[0].tableowner).toBe(tenantIdentity(orgs['ada-one'].id).ownerRole);
    await own.end();

    const cross = new URL(aUrl);
    cross.pathname = `/${tenantIdentity(orgs['bob-one'].id).dbName}`;
    const intruder = new pg.Client({ connectionString: cross.toString() });
    await expect(intruder.connect()).rejects.toThrow(/permission denied|not permitted/i);
  });

  it('lists only the caller’s organizations, paginated, and hides the others as 404', async () => {
    const page1 = await t.http.get('/api/v1/core/organizations?limit=1', { token: ada.token });
    expect(page1.body.data).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await t.http.get(`/api/v1/core/organizations?limit=1&cursor=${page1.body.nextCursor}`, {
      token: ada.token,
    });
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    expect([page1.body.data[0].slug, page2.body.data[0].slug].sort()).toEqual(['ada-one', 'ada-two']);
    expectProblem(
      await t.http.get('/api/v1/core/organizations/bob-one', { token: ada.token }),
      404,
      'ORGANIZATION_NOT_FOUND',
    );
    expectProblem(
      await t.http.get('/api/v1/core/organizations?cursor=garbage', { token: ada.token }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses a taken slug with 409 SLUG_TAKEN', async () => {
    const res = await t.http.post(
      '/api/v1/core/organizations',
      { name: 'Copy', slug: 'ada-one' },
      { token: bob.token },
    );
    expectProblem(res, 409, 'SLUG_TAKEN');
  });
});
