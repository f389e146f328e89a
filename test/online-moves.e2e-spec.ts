import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { runCli } from './support/cli.js';
import { startSystemPostgres, type SystemPostgres } from '../bench/system-postgres.js';
import {
  adminToken,
  onboard,
  queryServer,
  tenantHeaders,
  verifiedOwner,
  type Owner,
} from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 25, acceptance 3: `tenants:move --online`. The primary runs with wal_level=replica (it can receive an
 * online move, not publish one); `second` with wal_level=logical. A tenant of tens of MB moves from `second` to
 * the primary under continuous writes: only 2xx or 503 + Retry-After, every acknowledged write on the target,
 * the freeze well under the copy's time; a mover SIGKILLed while catching up leaves the tenant serving from
 * its source, its slot and subscription are removed, and a rerun completes the move.
 */
describe('online tenant moves (logical replication)', () => {
  let primary: SystemPostgres;
  let second: SystemPostgres;
  let t: TestApp;
  let owner: Owner;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { DATABASE_URL: t.coreUrl, DATA_DIR: t.config.dataDir, ...env });
  const org = async (slug: string) =>
    (
      await queryServer<{ id: string; server: string; status: string; moving_to: string | null }>(
        t.coreUrl,
        'SELECT id, server, status, moving_to FROM organizations WHERE slug = $1',
        [slug],
      )
    )[0];
  const dbOn = (server: SystemPostgres, id: string) => withDatabase(server.url, tenantIdentity(id).dbName);
  const count = async (url: string, sql: string, params: unknown[] = []) =>
    (await queryServer<{ n: number }>(url, sql, params))[0].n;
  const replicationLeft = async (id: string) => ({
    slots: await count(
      second.url,
      'SELECT count(*)::int AS n FROM pg_replication_slots WHERE database = $1',
      [tenantIdentity(id).dbName],
    ),
    subscriptions: await count(
      primary.url,
      `SELECT count(*)::int AS n FROM pg_subscription WHERE subname LIKE 'tenantry_move_%'`,
    ),
    copies: await count(primary.url, 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [
      tenantIdentity(id).dbName,
    ]),
  });
  /** Writes items until stopped: what was acknowledged, how many 503 + Retry-After, anything else. */
  const writeUntilStopped = (slug: string, token: string) => {
    const state = { acknowledged: [] as string[], unavailable: 0, others: [] as string[], writing: true };
    const done = (async () => {
      for (let n = 0; state.writing && n < 100_000; n++) {
        const res = await t.http.post(
          '/api/v1/items',
          { title: `write ${n}`, body: 'x', tags: [] },
          { token, headers: tenantHeaders(slug) },
        );
        if (res.status === 201) state.acknowledged.push(res.body.id);
        else if (res.status === 503 && res.headers.get('retry-after')) {
          state.unavailable++;
          await new Promise((r) => setTimeout(r, 20));
        } else state.others.push(`${res.status} ${res.text}`);
      }
    })();
    return { state, stop: async () => ((state.writing = false), await done) };
  };

  beforeAll(async () => {
    [primary, second] = await Promise.all([
      startSystemPostgres({ wal_level: 'replica' }),
      startSystemPostgres({ wal_level: 'logical' }),
    ]);
    t = await startTestApp({
      DATABASE_URL: withDatabase(primary.url, 'tenantry_online_moves'),
      PROVISIONING_SWEEP_MS: '500',
    });
    owner = await verifiedOwner(t, 'online-moves@example.com');
    const added = await cli(['servers:add', '--name', 'second', '--url', second.url]);
    expect(added.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await t?.app.close();
    await Promise.all([primary?.stop(), second?.stop()]);
  });

  it('refuses an online move from a server without wal_level=logical, changing nothing; the plain move works', async () => {
    const { id } = await onboard(t, owner, 'online-a');
    expect(await org('online-a')).toMatchObject({ server: 'primary' });
    const refused = await cli(['tenants:move', '--tenant', 'online-a', '--to', 'second', '--online']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /wal_level is replica, not logical.*the plain move, without --online, works/,
    );
    expect(await org('online-a')).toMatchObject({ server: 'primary', status: 'active', moving_to: null });
    expect((await replicationLeft(id)).slots).toBe(0);
    const plain = await cli(['tenants:move', '--tenant', 'online-a', '--to', 'second']);
    expect(plain.code).toBe(0);
    expect(await org('online-a')).toMatchObject({ server: 'second', status: 'active' });
  }, 120_000);

  it('moves a tenant of tens of MB online under continuous writes: 2xx or 503 only, every write kept, a short freeze', async () => {
    const { id } = await org('online-a');
    // About 40 MB of items (with their search index) written straight into the tenant's database.
    await queryServer(
      dbOn(second, id),
      `INSERT INTO items (owner_id, title, body) SELECT gen_random_uuid(), 'bulk ' || g, repeat(md5(g::text), 30)
         FROM generate_series(1, 25000) g`,
    );
    const token = await adminToken(t, owner, 'online-a');
    const as = { token, headers: tenantHeaders('online-a') };
    const product = await t.http.post('/api/v1/products', { sku: 'SEQ-1', name: 'Sequenced' }, as);
    const request = () =>
      t.http.post('/api/v1/purchase-requests', { lines: [{ productId: product.body.id, quantity: 1 }] }, as);
    const first = await request();
    expect(first.status).toBe(201);
    const writer = writeUntilStopped('online-a', token);
    await new Promise((r) => setTimeout(r, 500));
    const moved = await cli(['tenants:move', '--tenant', 'online-a', '--to', 'primary', '--online']);
    expect([moved.code, moved.stdout]).toEqual([
      0,
      expect.stringContaining('moved online-a from second to primary'),
    ]);
    const after = writer.state.acknowledged.length;
    for (let i = 0; i < 200 && writer.state.acknowledged.length < after + 20; i++)
      await new Promise((r) => setTimeout(r, 50));
    await writer.stop();
    expect(writer.state.others).toEqual([]);
    expect(writer.state.acknowledged.length).toBeGreaterThan(after);
    const frozenMs = Number(/answered 503 for (\d+) ms/.exec(moved.stdout)?.[1]);
    const copyMs = 1000 * Number(/copied in ([\d.]+) s/.exec(moved.stderr)?.[1]);
    console.log(
      `[online move] ${moved.stdout.trim()} | copy ${copyMs} ms | ${writer.state.acknowledged.length} writes, ${writer.state.unavailable} 503`,
    );
    // The freeze is the final catch-up and the switch, not the copy (generous: a quarter of it, under 5 s).
    expect(frozenMs).toBeLessThan(Math.max(copyMs / 4, 1));
    expect(frozenMs).toBeLessThan(5000);
    expect(await org('online-a')).toMatchObject({ server: 'primary', status: 'active', moving_to: null });
    const stored = new Set(
      (await queryServer<{ id: string }>(dbOn(primary, id), 'SELECT id FROM items')).map((r) => r.id),
    );
    expect(writer.state.acknowledged.filter((a) => !stored.has(a))).toEqual([]);
    expect(await replicationLeft(id)).toEqual({ slots: 0, subscriptions: 0, copies: 1 });
    expect(
      await count(second.url, 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [
        tenantIdentity(id).dbName,
      ]),
    ).toBe(0);
    // Sequences came along: the next purchase request's number follows the source's.
    const next = await request();
    expect([next.status, next.body.number > first.body.number]).toEqual([201, true]);
  }, 240_000);

  it('a mover killed while catching up leaves the tenant serving from its source; its replication is removed and a rerun completes it', async () => {
    const { id } = await onboard(t, owner, 'online-b');
    // Placed by headroom; it must start on the server that can publish.
    if ((await org('online-b')).server !== 'second')
      expect((await cli(['tenants:move', '--tenant', 'online-b', '--to', 'second'])).code).toBe(0);
    const token = await adminToken(t, owner, 'online-b');
    const writer = writeUntilStopped('online-b', token);
    const killed = await cli(['tenants:move', '--tenant', 'online-b', '--to', 'primary', '--online'], {
      TENANTRY_FAULT_AFTER_STEP: 'move-online-synced',
    });
    expect(killed.code).not.toBe(0);
    expect(killed.stderr).toMatch(/copied in/);
    // The service's sweep finds the interrupted move (its lock is free) and takes its replication down.
    const deadline = Date.now() + 30_000;
    let left = await replicationLeft(id);
    while (Date.now() < deadline && (left.slots || left.subscriptions || left.copies)) {
      await new Promise((r) => setTimeout(r, 250));
      left = await replicationLeft(id);
    }
    expect(left).toEqual({ slots: 0, subscriptions: 0, copies: 0 });
    expect(await org('online-b')).toMatchObject({ server: 'second', status: 'active', moving_to: null });
    const during = writer.state.acknowledged.length;
    for (let i = 0; i < 100 && writer.state.acknowledged.length < during + 5; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(writer.state.acknowledged.length).toBeGreaterThan(during);

    const rerun = await cli(['tenants:move', '--tenant', 'online-b', '--to', 'primary', '--online']);
    expect(rerun.code).toBe(0);
    await writer.stop();
    expect(writer.state.others).toEqual([]);
    expect(await org('online-b')).toMatchObject({ server: 'primary', status: 'active' });
    const stored = new Set(
      (await queryServer<{ id: string }>(dbOn(primary, id), 'SELECT id FROM items')).map((r) => r.id),
    );
    expect(writer.state.acknowledged.filter((a) => !stored.has(a))).toEqual([]);
    expect(await replicationLeft(id)).toEqual({ slots: 0, subscriptions: 0, copies: 1 });
  }, 240_000);
});
