import { SseClient } from './support/sse.js';
import { TenantWorld } from './support/domain.js';
import { PASSWORD, tenantHeaders } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';

const POLL_MS = 400;

/**
 * Issue 20, findings 3, 5 and 10 (production configuration): an open event stream ends within the poll
 * interval once its session is cut (deactivation, logout, role change, password change); a user holds at
 * most EVENTS_MAX_STREAMS_PER_USER streams (429 beyond); the event log refuses cursors it never issued.
 */
describe('security: event streams follow their session', () => {
  let t: TestApp;
  let w: TenantWorld;
  const open: SseClient[] = [];
  const stream = async (token: string) => {
    const client = await SseClient.open(`${t.baseUrl}/api/v1/events`, {
      authorization: `Bearer ${token}`,
      ...tenantHeaders(w.slug),
    });
    open.push(client);
    return client;
  };
  /** Generous: the stream must end within one poll; the bound allows for a loaded machine. */
  const endsWithin = async (client: SseClient, ms = POLL_MS * 5) => {
    const deadline = Date.now() + ms;
    while (!client.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return client.closed;
  };
  const newUser = async (role: string) => {
    const email = `${w.unique(role)}@streams.example.com`;
    const created = await w.created(
      w.as('admin').post('/api/v1/users', { email, password: PASSWORD, name: role, role }),
    );
    const login = await t.http.post(
      '/api/v1/auth/login',
      { email, password: PASSWORD },
      { headers: tenantHeaders(w.slug) },
    );
    expect(login.status).toBe(200);
    return {
      id: created.id as string,
      email,
      access: login.body.accessToken as string,
      refresh: login.body.refreshToken as string,
    };
  };

  beforeAll(async () => {
    t = await startTestApp({
      ...PRODUCTION_ENV,
      EVENTS_POLL_MS: String(POLL_MS),
      EVENTS_MAX_STREAMS_PER_USER: '3',
    });
    w = await TenantWorld.create(t, 'stream-sessions');
  }, 60_000);
  afterAll(async () => {
    open.forEach((c) => c.close());
    await t?.close();
  });

  it('keeps a stream open while its session stands', async () => {
    const user = await newUser('staff');
    const client = await stream(user.access);
    expect(client.status).toBe(200);
    expect(await endsWithin(client, POLL_MS * 4)).toBe(false);
    client.close();
  });

  it('ends the stream of a deactivated user', async () => {
    const user = await newUser('staff');
    const client = await stream(user.access);
    expect(client.status).toBe(200);
    expect((await w.as('admin').delete(`/api/v1/users/${user.id}`)).status).toBe(204);
    expect(await endsWithin(client)).toBe(true);
  });

  it('ends the stream after its user logs out', async () => {
    const user = await newUser('manager');
    const client = await stream(user.access);
    const out = await t.http.post(
      '/api/v1/auth/logout',
      { refreshToken: user.refresh },
      { token: user.access, headers: tenantHeaders(w.slug) },
    );
    expect(out.status).toBe(204);
    expect(await endsWithin(client)).toBe(true);
  });

  it('ends the stream after a role change and after a password change', async () => {
    const demoted = await newUser('manager');
    const roleStream = await stream(demoted.access);
    expect((await w.as('admin').patch(`/api/v1/users/${demoted.id}`, { role: 'staff' })).status).toBe(200);
    expect(await endsWithin(roleStream)).toBe(true);

    const changer = await newUser('staff');
    const passwordStream = await stream(changer.access);
    const changed = await t.http.patch(
      `/api/v1/users/${changer.id}`,
      { password: 'a brand new passphrase 42', currentPassword: PASSWORD },
      { token: changer.access, headers: tenantHeaders(w.slug) },
    );
    expect(changed.status).toBe(200);
    expect(await endsWithin(passwordStream)).toBe(true);
  });

  it('caps the streams of one user at EVENTS_MAX_STREAMS_PER_USER (429 with Retry-After beyond)', async () => {
    const user = await newUser('auditor');
    const held = [await stream(user.access), await stream(user.access), await stream(user.access)];
    expect(held.map((c) => c.status)).toEqual([200, 200, 200]);
    const res = await fetch(`${t.baseUrl}/api/v1/events`, {
      headers: { authorization: `Bearer ${user.access}`, ...tenantHeaders(w.slug) },
    });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { code: string }).code).toBe('RATE_LIMITED');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user is not affected, and a closed stream frees its place.
    expect((await stream(w.tokens.auditor)).status).toBe(200);
    held[0].close();
    await new Promise((r) => setTimeout(r, 200));
    expect((await stream(user.access)).status).toBe(200);
  });

  it('holds the cap when many streams of one user open at once', async () => {
    const user = await newUser('auditor');
    const all = await Promise.all(Array.from({ length: 10 }, () => stream(user.access)));
    const statuses = all.map((c) => c.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    all.forEach((c) => c.close());
  });

  it('refuses event-log cursors it never issued', async () => {
    for (const key of [{ i: -1 }, { i: 0 }, { i: 1.5 }, { i: '1' }, { i: 1, x: 2 }]) {
      const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
      const res = await w.as('auditor').get(`/api/v1/events/log?cursor=${cursor}`);
      expect({ key, status: res.status, code: res.body?.code }).toEqual({
        key,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });
});
