import { expectProblem } from './support/http.js';
import { startTestApp, TestApp } from './support/test-app.js';

/** Every core route gets hostile bodies; each must be a 4xx problem+json with the right code, never a 500. */
describe('bad input on every core route', () => {
  let t: TestApp;
  let token: string;

  const valid: Record<string, Record<string, unknown>> = {
    '/api/v1/core/auth/register': { email: 'x@example.com', password: 'long enough pw', name: 'X' },
    '/api/v1/core/auth/verify-email': { token: 'abc' },
    '/api/v1/core/auth/login': { email: 'x@example.com', password: 'long enough pw' },
    '/api/v1/core/auth/refresh': { refreshToken: 'abc' },
    '/api/v1/core/auth/logout': { refreshToken: 'abc' },
    '/api/v1/core/auth/forgot-password': { email: 'x@example.com' },
    '/api/v1/core/auth/reset-password': { token: 'abc', password: 'long enough pw' },
  };
  const routes = Object.keys(valid);

  beforeAll(async () => {
    t = await startTestApp();
    // A verified owner, so that authenticated routes reach validation.
    await t.http.post('/api/v1/core/auth/register', valid['/api/v1/core/auth/register']);
    const { Client } = (await import('pg')).default;
    const db = new Client({ connectionString: t.coreUrl });
    await db.connect();
    await db.query(`UPDATE owners SET email_verified_at = now()`);
    await db.end();
    token = (await t.http.post('/api/v1/core/auth/login', valid['/api/v1/core/auth/login'])).body.accessToken;
  });
  afterAll(() => t?.close());

  const send = (path: string, body: unknown, raw?: string | Buffer, headers?: Record<string, string>) =>
    t.http.post(path, body, { token, raw, headers });

  it.each(routes)('%s: missing fields → 400 VALIDATION_FAILED with errors[]', async (path) => {
    const res = await send(path, {});
    expectProblem(res, 400, 'VALIDATION_FAILED');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    for (const field of Object.keys(valid[path])) expect(fields).toContain(field);
  });

  it.each(routes)('%s: wrong types → 400 VALIDATION_FAILED', async (path) => {
    const wrong = Object.fromEntries(Object.keys(valid[path]).map((k) => [k, { nested: [1, 2] }]));
    expectProblem(await send(path, wrong), 400, 'VALIDATION_FAILED');
    const numbers = Object.fromEntries(Object.keys(valid[path]).map((k) => [k, 12345678901]));
    expectProblem(await send(path, numbers), 400, 'VALIDATION_FAILED');
  });

  it.each(routes)('%s: unknown property → 400 VALIDATION_FAILED naming it', async (path) => {
    const res = await send(path, { ...valid[path], isAdmin: true });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'isAdmin' })]));
  });

  it.each(routes)('%s: 2 MB body → 413', async (path) => {
    const huge = JSON.stringify({ ...valid[path], padding: 'x'.repeat(2 * 1024 * 1024) });
    expectProblem(await send(path, undefined, huge), 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each(routes)('%s: malformed JSON → 400 MALFORMED_JSON', async (path) => {
    expectProblem(await send(path, undefined, '{"email": "x@example.com",'), 400, 'MALFORMED_JSON');
  });

  it.each(routes)('%s: a JSON value that is not an object → 400', async (path) => {
    for (const raw of ['[]', '"text"', '42', 'null']) {
      const res = await send(path, undefined, raw);
      expect(res.status).toBe(400);
      expectProblem(res, 400, res.body.code);
    }
  });

  it.each(routes)('%s: another content type → 415', async (path) => {
    expectProblem(
      await send(path, undefined, 'email=x', { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('rejects passwords that are too short, too long, or over 72 bytes', async () => {
    const path = '/api/v1/core/auth/register';
    for (const password of ['short', 'x'.repeat(129), 'é'.repeat(40)]) {
      const res = await send(path, { email: 'p@example.com', password, name: 'P' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe('password');
    }
  });

  it('rejects a malformed email', async () => {
    const res = await send('/api/v1/core/auth/register', {
      email: "x'; drop table owners;--",
      password: 'long enough pw',
      name: 'X',
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
  });

  it('answers unknown routes and methods with problem+json 404', async () => {
    expectProblem(await t.http.get('/api/v1/nope'), 404, 'NOT_FOUND');
    expectProblem(await t.http.get('/api/v1/core/auth/login'), 404, 'NOT_FOUND');
  });

  it('sends a problem+json 500 without internals when something unexpected fails', async () => {
    const { Client } = (await import('pg')).default;
    const db = new Client({ connectionString: t.coreUrl });
    await db.connect();
    await db.query('ALTER TABLE owners RENAME TO owners_gone');
    try {
      const res = await t.http.post('/api/v1/core/auth/login', valid['/api/v1/core/auth/login']);
      expectProblem(res, 500, 'INTERNAL_ERROR');
      expect(res.text).not.toMatch(/owners|relation|postgres/i);
    } finally {
      await db.query('ALTER TABLE owners_gone RENAME TO owners');
      await db.end();
    }
  });
});
