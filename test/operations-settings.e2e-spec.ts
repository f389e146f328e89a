import { randomUUID } from 'node:crypto';
import { TenantWorld } from './support/domain.js';
import { expectProblem, type HttpResponse } from './support/http.js';
import {
  PASSWORD,
  queryServer,
  tenantDatabaseAdminUrl,
  tenantHeaders,
  verifiedOwner,
} from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Issue 11, acceptance 4 and 5 (usage), and the owner's maintenance route. */
describe('tenant settings, quotas, usage and maintenance', () => {
  let one: TestApp;
  let two: TestApp;
  let w: TenantWorld;
  let tenantDb: string;
  const settingsPath = () => `/api/v1/core/organizations/${w.slug}/settings`;
  const patch = (body: unknown) => one.http.patch(settingsPath(), body, { token: w.owner.token });
  const onTwo = (path: string) =>
    two.http.get(path, { token: w.tokens.manager, headers: tenantHeaders(w.slug) });
  const tally = (replies: HttpResponse[]) =>
    replies.reduce<Record<string, number>>((acc, r) => {
      const key = r.status === 201 ? '201' : `${r.status} ${r.body.code}`;
      acc[key] = (acc[key] ?? 0) + 1;
      return acc;
    }, {});

  beforeAll(async () => {
    one = await startTestApp();
    two = await startTestApp({ DATABASE_URL: one.coreUrl });
    w = await TenantWorld.create(one, 'settings-co');
    tenantDb = await tenantDatabaseAdminUrl(one.coreUrl, w.slug);
  }, 60_000);
  afterAll(async () => {
    await two?.app.close();
    await one?.close();
  });

  it('shows any of the tenant’s users its organization, with the settings in force (issue 22)', async () => {
    const own = () => w.as('auditor').get('/api/v1/organization');
    const before = await own();
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'settings-co',
      slug: 'settings-co',
      features: { purchasing: true, items: true, files: true },
      limits: {
        maxUsers: null,
        maxProducts: null,
        maxItems: null,
        maxStorageBytes: null,
        requestsPerSecond: null,
      },
    });
    expect((await patch({ limits: { maxItems: 7 }, features: { files: false } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // in force on every instance within 1 s
    const after = await onTwo('/api/v1/organization');
    expect(after.body).toMatchObject({ features: { files: false }, limits: { maxItems: 7 } });
    expect((await patch({ limits: { maxItems: null }, features: { files: true } })).status).toBe(200);
    expect((await one.http.get('/api/v1/organization', { headers: tenantHeaders(w.slug) })).status).toBe(401);
  });

  it('answers the settings in the contract’s shape, defaults first, and refuses bad patches', async () => {
    const res = await one.http.get(settingsPath(), { token: w.owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      limits: {
        maxUsers: null,
        maxProducts: null,
        maxItems: null,
        maxStorageBytes: null,
        requestsPerSecond: null,
      },
      features: { purchasing: true, items: true, files: true },
    });
    for (const bad of [
      { limits: { maxUsers: -1 } },
      { limits: { maxUsers: 1.5 } },
      { limits: { maxSeats: 3 } },
      { features: { items: null } },
      { features: { items: 'no' } },
      { colour: 'red' },
    ])
      expectProblem(await patch(bad), 400, 'VALIDATION_FAILED');
    const other = await verifiedOwner(one, 'not-the-owner@example.com');
    expectProblem(await one.http.get(settingsPath(), { token: other.token }), 404, 'ORGANIZATION_NOT_FOUND');
  });

  it('enforces a product limit exactly under concurrency: 20 creates against 10 leave 10', async () => {
    const existing = (await w.as('admin').get('/api/v1/products?limit=100')).body.data.length;
    const set = await patch({ limits: { maxProducts: existing + 10 } });
    expect(set.status).toBe(200);
    expect(set.body.limits).toMatchObject({ maxProducts: existing + 10, maxUsers: null });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.as(i % 2 ? 'admin' : 'manager').post('/api/v1/products', { sku: w.unique('Q'), name: 'quota' }),
      ),
    );
    expect(tally(replies)).toEqual({ '201': 10, '403 QUOTA_EXCEEDED': 10 });
    const [{ n }] = await queryServer<{ n: number }>(
      tenantDb,
      'SELECT count(*)::int AS n FROM products WHERE deleted_at IS NULL',
    );
    expect(n).toBe(existing + 10);
    // A deleted product frees its place; null lifts the limit.
    const some = replies.find((r) => r.status === 201)!;
    expect((await w.as('admin').delete(`/api/v1/products/${some.body.id}`)).status).toBe(204);
    expect((await w.product()).id).toEqual(expect.any(String));
    expect((await patch({ limits: { maxProducts: null } })).body.limits.maxProducts).toBeNull();
    expect((await w.product()).id).toEqual(expect.any(String));
  });

  it('enforces user and item limits the same way', async () => {
    await patch({ limits: { maxUsers: 6, maxItems: 3 } }); // the world has 4 users
    const users = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        w.as('admin').post('/api/v1/users', {
          email: `extra-${i}@settings-co.example.com`,
          password: PASSWORD,
          name: 'Extra',
          role: 'staff',
        }),
      ),
    );
    expect(tally(users)).toEqual({ '201': 2, '403 QUOTA_EXCEEDED': 3 });
    const items = await Promise.all(
      Array.from({ length: 6 }, () => w.as('staff').post('/api/v1/items', { title: 'limited' })),
    );
    expect(tally(items)).toEqual({ '201': 3, '403 QUOTA_EXCEEDED': 3 });
    await patch({ limits: { maxUsers: null, maxItems: null } });
  });

  it('turns a module off on every instance within 1 s, and back on', async () => {
    expect((await onTwo('/api/v1/purchase-requests')).status).toBe(200);
    expect((await onTwo('/api/v1/items')).status).toBe(200);
    expect((await patch({ features: { purchasing: false, items: false } })).body.features).toEqual({
      purchasing: false,
      items: false,
      files: true,
    });
    const started = Date.now();
    while ((await onTwo('/api/v1/purchase-requests')).status !== 403 && Date.now() - started < 3000)
      await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - started).toBeLessThan(1000);
    expectProblem(await onTwo('/api/v1/purchase-requests'), 403, 'FEATURE_DISABLED');
    expectProblem(await onTwo(`/api/v1/purchase-requests/${randomUUID()}`), 403, 'FEATURE_DISABLED');
    expectProblem(await onTwo('/api/v1/items'), 403, 'FEATURE_DISABLED');
    expectProblem(await w.as('staff').post('/api/v1/items', { title: 'while off' }), 403, 'FEATURE_DISABLED');
    // Other modules keep working.
    expect((await onTwo('/api/v1/products')).status).toBe(200);

    await patch({ features: { purchasing: true, items: true } });
    const back = Date.now();
    while ((await onTwo('/api/v1/items')).status !== 200 && Date.now() - back < 3000)
      await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - back).toBeLessThan(1000);
    expect((await onTwo('/api/v1/purchase-requests')).status).toBe(200);
  });

  it('reports usage that matches what was created', async () => {
    const [counts] = await queryServer<{ users: number; products: number; items: number }>(
      tenantDb,
      `SELECT (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM products WHERE deleted_at IS NULL) AS products,
              (SELECT count(*)::int FROM items WHERE deleted_at IS NULL) AS items`,
    );
    const res = await one.http.get(`/api/v1/core/organizations/${w.slug}/usage`, { token: w.owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      users: 6,
      products: counts.products,
      items: 3,
      storageBytes: 0,
      databaseBytes: expect.any(Number),
      lastActivityAt: expect.any(String),
    });
    expect(counts).toMatchObject({ users: 6, items: 3 });
    expect(res.body.databaseBytes).toBeGreaterThan(1_000_000);
    expect(Date.now() - Date.parse(res.body.lastActivityAt)).toBeLessThan(60_000);
  });

  it('runs the owner’s maintenance as a job whose status is readable', async () => {
    const base = `/api/v1/core/organizations/${w.slug}/maintenance`;
    expectProblem(
      await one.http.post(base, { operations: [] }, { token: w.owner.token }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await one.http.post(base, { operations: ['drop'] }, { token: w.owner.token }),
      400,
      'VALIDATION_FAILED',
    );
    const started = await one.http.post(
      base,
      { operations: ['vacuum', 'analyze'] },
      { token: w.owner.token },
    );
    expect(started.status).toBe(202);
    const path = `${base}/${started.body.jobId}`;
    let status = (await one.http.get(path, { token: w.owner.token })).body;
    for (let i = 0; i < 100 && !['done', 'failed'].includes(status.status); i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await one.http.get(path, { token: w.owner.token })).body;
    }
    expect(status).toEqual({
      jobId: started.body.jobId,
      status: 'done',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      error: null,
    });
    const [products] = await queryServer<{ vacuumed: boolean }>(
      tenantDb,
      `SELECT last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname = 'products'`,
    );
    expect(products.vacuumed).toBe(true);
    expectProblem(
      await one.http.get(`${base}/${randomUUID()}`, { token: w.owner.token }),
      404,
      'JOB_NOT_FOUND',
    );
    expectProblem(
      await one.http.get(`${base}/not-a-uuid`, { token: w.owner.token }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('reports the engine in /health/ready without depending on any tenant', async () => {
    const res = await one.http.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.details.engine).toEqual({
      status: 'up',
      tenantConnections: { used: expect.any(Number), budget: expect.any(Number), busy: expect.any(Number) },
      tenantsConnected: expect.any(Number),
      waitingAcquires: 0,
      catalogListener: 'up',
    });
    expect(res.body.details.engine.tenantConnections.budget).toBeGreaterThan(0);
  });
});
