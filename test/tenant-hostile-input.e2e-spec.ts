import { expectProblem } from './support/http.js';
import { testServerUrl } from './support/servers.js';
import { onboard, Owner, queryServer, verifiedOwner } from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

const HOSTILE = [
  'a',
  'A-b',
  "x'; drop database postgres;--",
  'tenant_1',
  '../etc',
  'x'.repeat(64),
  'template1',
  'template0',
  'postgres',
  'admin',
  'www',
  'аcme', // Cyrillic а
  'acme\u200b',
  'ａｃｍｅ', // full-width
  'acme;',
  '"acme"',
];

describe('hostile slugs and tenant headers', () => {
  let t: TestApp;
  let owner: Owner;
  let databases: number;
  const count = async () =>
    Number((await queryServer<{ n: string }>(testServerUrl(), 'SELECT count(*) AS n FROM pg_database'))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await verifiedOwner(t, 'h@example.com');
    await onboard(t, owner, 'real-one');
    databases = await count();
  });
  afterAll(() => t?.close());

  it.each(HOSTILE)('refuses %j as a slug with 400 VALIDATION_FAILED', async (slug) => {
    const res = await t.http.post('/api/v1/core/organizations', { name: 'X', slug }, { token: owner.token });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors[0].field).toBe('slug');
  });

  it.each(HOSTILE.filter((h) => /^[\x20-\x7e]*$/.test(h)))(
    'refuses %j as a tenant header with 400 TENANT_HEADER_INVALID',
    async (slug) => {
      expectProblem(
        await t.http.get('/api/v1/users/me', { headers: { 'x-tenant': slug } }),
        400,
        'TENANT_HEADER_INVALID',
      );
      expectProblem(
        await t.http.post(
          '/api/v1/auth/login',
          { email: 'h@example.com', password: 'whatever12' },
          { headers: { 'x-tenant': slug } },
        ),
        400,
        'TENANT_HEADER_INVALID',
      );
    },
  );

  it('refuses non-ASCII header bytes without reaching the catalog', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/users/me`, {
      headers: { 'x-tenant': Buffer.from('аcme').toString('latin1') },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('TENANT_HEADER_INVALID');
  });

  it('answers a missing header, an unknown tenant and a junk body per the contract', async () => {
    expectProblem(await t.http.get('/api/v1/users/me'), 400, 'TENANT_HEADER_MISSING');
    expectProblem(
      await t.http.get('/api/v1/users/me', { headers: { 'x-tenant': 'no-such-org' } }),
      404,
      'TENANT_NOT_FOUND',
    );
    expectProblem(
      await t.http.post(
        '/api/v1/core/organizations',
        { name: 'X', slug: 'ok-slug', extra: 1 },
        { token: owner.token },
      ),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.http.post('/api/v1/core/organizations', { name: '' }, { token: owner.token }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.http.delete(
        '/api/v1/core/organizations/real-one',
        { confirm: 'other' },
        { token: owner.token },
      ),
      400,
      'CONFIRMATION_MISMATCH',
    );
    expectProblem(
      await t.http.get(`/api/v1/core/organizations/${encodeURIComponent("x'; drop")}`, {
        token: owner.token,
      }),
      404,
      'ORGANIZATION_NOT_FOUND',
    );
  });

  it('created no database for any of it', async () => {
    expect(await count()).toBe(databases);
  });
});
