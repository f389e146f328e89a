import pg from 'pg';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity, tenantRolePassword } from '../src/tenancy/index.js';
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

const SUPERUSER_PASSWORD = 'spec-superuser-password';

/** Issue 12, acceptances 1 and 2: a second Postgres server, placement by headroom, and tenant moves. */
describe('database servers and tenant moves', () => {
  let one: SystemPostgres;
  let two: SystemPostgres;
  let t: TestApp;
  let owner: Owner;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { DATABASE_URL: t.coreUrl, DATA_DIR: t.config.dataDir, ...env });
  const org = async (slug: string) =>
    (
      await queryServer<{ id: string; server: string; status: string }>(
        t.coreUrl,
        'SELECT id, server, status FROM organizations WHERE slug = $1',
        [slug],
      )
    )[0];
  const dbOn = (server: SystemPostgres, id: string) => withDatabase(server.url, tenantIdentity(id).dbName);
  const exists = async (server: SystemPostgres, id: string) =>
    (
      await queryServer(server.url, 'SELECT 1 FROM pg_database WHERE datname = $1', [
        tenantIdentity(id).dbName,
      ])
    ).length > 0;
  /** Connects as the tenant's own login role: resolves the error message, or null when it got in. */
  const connectAs = async (id: string, url: string) => {
    const u = new URL(url);
    u.username = tenantIdentity(id).role;
    u.password = tenantRolePassword(t.config.tenants.dbSecret, id);
    const client = new pg.Client({ connectionString: u.toString() });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return null;
    } catch (err) {
      return (err as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  beforeAll(async () => {
    [one, two] = await Promise.all([startSystemPostgres(), startSystemPostgres()]);
    t = await startTestApp({
      DATABASE_URL: withDatabase(one.url, 'tenantry_servers'),
      PROVISIONING_SWEEP_MS: '500',
      ORG_LIMIT_PER_OWNER: '30',
    });
    owner = await verifiedOwner(t, 'servers@example.com');
  }, 120_000);
  afterAll(async () => {
    await t?.app.close();
    await Promise.all([one?.stop(), two?.stop()]);
  });

  it('spreads onboardings over two servers by headroom; a tenant on the second serves and is shut out of the first', async () => {
    const added = await cli(['servers:add', '--name', 'second', '--url', two.url, '--capacity', '1000']);
    expect(added).toMatchObject({ code: 0 });
    const twice = await cli(['servers:add', '--name', 'second', '--url', two.url]);
    expect(twice.code).not.toBe(0);
    expect(twice.stderr + twice.stdout).toContain('exists');
    // The superuser's password is a secret: not in the catalog's row, nor in any output.
    const [row] = await queryServer<{ url: string }>(
      t.coreUrl,
      `SELECT admin_url AS url FROM database_servers WHERE name = 'second'`,
    );
    expect(row.url).not.toContain(SUPERUSER_PASSWORD);
    expect(row.url).not.toContain('127.0.0.1');

    for (let i = 0; i < 20; i++) await onboard(t, owner, `spread-${i}`);
    const placed = await queryServer<{ server: string; n: number }>(
      t.coreUrl,
      `SELECT server, count(*)::int AS n FROM organizations WHERE slug LIKE 'spread-%' GROUP BY server ORDER BY server`,
    );
    expect(placed).toEqual([
      { server: 'primary', n: 10 },
      { server: 'second', n: 10 },
    ]);

    const list = await cli(['servers:list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.split('\n');
    for (const name of ['primary', 'second']) {
      const line = lines.find((l) => l.startsWith(`${name} `));
      expect(line).toBeDefined();
      expect(line!.split(/\s+/)).toContain('10');
    }
    expect(list.stdout + list.stderr).not.toContain(SUPERUSER_PASSWORD);
    const tenants = await cli(['tenants:list']);
    expect(tenants.stdout).toMatch(/spread-1\s+active\s+second/);

    // A tenant on the second server serves requests.
    const onTwo = (
      await queryServer<{ slug: string; id: string }>(
        t.coreUrl,
        `SELECT slug, id FROM organizations WHERE server = 'second' ORDER BY slug LIMIT 1`,
      )
    )[0];
    const onOne = (
      await queryServer<{ slug: string; id: string }>(
        t.coreUrl,
        `SELECT slug, id FROM organizations WHERE server = 'primary' AND slug LIKE 'spread-%' ORDER BY slug LIMIT 1`,
      )
    )[0];
    const token = await adminToken(t, owner, onTwo.slug);
    const me = await t.http.get('/api/v1/users/me', { token, headers: tenantHeaders(onTwo.slug) });
    expect(me.status).toBe(200);
    const item = await t.http.post(
      '/api/v1/items',
      { title: 'on the second server', body: 'x', tags: [] },
      { token, headers: tenantHeaders(onTwo.slug) },
    );
    expect(item.status).toBe(201);
    expect(
      await queryServer(dbOn(two, onTwo.id), 'SELECT 1 FROM items WHERE id = $1', [item.body.id]),
    ).toHaveLength(1);
    // Its role gets into its own database, and nowhere on the first server.
    expect(await connectAs(onTwo.id, dbOn(two, onTwo.id))).toBeNull();
    expect(await connectAs(onTwo.id, dbOn(one, onOne.id))).toMatch(/authentication failed|permission denied/);
    expect(await connectAs(onTwo.id, withDatabase(one.url, 'postgres'))).toMatch(/authentication failed/);
  }, 240_000);

  it('moves a tenant to the second server under continuous writes; a killed move leaves it on the first and a rerun completes it', async () => {
    const slug = 'moving-a';
    // 10 tenants on each server: a tie goes to the first by name.
    const { id } = await onboard(t, owner, slug);
    expect(await org(slug)).toMatchObject({ server: 'primary' });
    const token = await adminToken(t, owner, slug);
    const acknowledged: string[] = [];
    const others: string[] = [];
    let unavailable = 0;
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing && n < 100_000; n++) {
        const res = await t.http.post(
          '/api/v1/items',
          { title: `write ${n}`, body: 'x', tags: [] },
          { token, headers: tenantHeaders(slug) },
        );
        if (res.status === 201) acknowledged.push(res.body.id);
        else if (res.status === 503 && res.headers.get('retry-after')) {
          unavailable++;
          await new Promise((r) => setTimeout(r, 20));
        } else others.push(`${res.status} ${res.text}`);
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    const moved = await cli(['tenants:move', '--tenant', slug, '--to', 'second']);
    expect(moved).toMatchObject({ code: 0 });
    expect(moved.stdout).toContain('moved moving-a from primary to second');
    // Writes go on, now to the second server.
    const after = acknowledged.length;
    for (let i = 0; i < 200 && acknowledged.length < after + 20; i++)
      await new Promise((r) => setTimeout(r, 50));
    writing = false;
    await writer;
    expect(others).toEqual([]);
    // The writer did meet the move (503 while it was frozen) and wrote on after it.
    expect(unavailable).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(after);
    console.log(
      `[move] ${moved.stdout.trim()} | ${acknowledged.length} writes acknowledged, ${unavailable} 503`,
    );
    expect(await org(slug)).toMatchObject({ server: 'second', status: 'active' });
    const stored = await queryServer<{ id: string }>(dbOn(two, id), 'SELECT id FROM items');
    const ids = new Set(stored.map((r) => r.id));
    expect(acknowledged.filter((a) => !ids.has(a))).toEqual([]);
    expect(await exists(one, id)).toBe(false);

    // A move killed halfway (after the copy, before the switch) leaves the tenant serving from the first.
    const killedSlug = 'moving-b';
    const b = await onboard(t, owner, killedSlug); // 10 on primary, 11 on second: primary
    expect(await org(killedSlug)).toMatchObject({ server: 'primary' });
    const tokenB = await adminToken(t, owner, killedSlug);
    const before = await t.http.post(
      '/api/v1/items',
      { title: 'before the move', body: 'x', tags: [] },
      { token: tokenB, headers: tenantHeaders(killedSlug) },
    );
    expect(before.status).toBe(201);
    const killed = await cli(['tenants:move', '--tenant', killedSlug, '--to', 'second'], {
      TENANTRY_FAULT_AFTER_STEP: 'move-copied',
    });
    expect(killed.code).not.toBe(0);
    const deadline = Date.now() + 30_000;
    let serving = 0;
    while (Date.now() < deadline) {
      serving = (await t.http.get('/api/v1/users/me', { token: tokenB, headers: tenantHeaders(killedSlug) }))
        .status;
      if (serving === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(serving).toBe(200);
    expect(await org(killedSlug)).toMatchObject({ server: 'primary', status: 'active' });
    expect(await exists(two, b.id)).toBe(false);
    const during = await t.http.post(
      '/api/v1/items',
      { title: 'after the killed move', body: 'x', tags: [] },
      { token: tokenB, headers: tenantHeaders(killedSlug) },
    );
    expect(during.status).toBe(201);

    const rerun = await cli(['tenants:move', '--tenant', killedSlug, '--to', 'second']);
    expect(rerun).toMatchObject({ code: 0 });
    expect(await org(killedSlug)).toMatchObject({ server: 'second', status: 'active' });
    const titles = await queryServer<{ title: string }>(
      dbOn(two, b.id),
      'SELECT title FROM items ORDER BY title',
    );
    expect(titles.map((r) => r.title)).toEqual(['after the killed move', 'before the move']);
    expect(await exists(one, b.id)).toBe(false);
    const served = await t.http.get('/api/v1/users/me', {
      token: tokenB,
      headers: tenantHeaders(killedSlug),
    });
    expect(served.status).toBe(200);
  }, 240_000);

  it('drains a server: no new tenant goes there, and its tenants move to the others', async () => {
    const on = async (server: string) =>
      (
        await queryServer<{ slug: string }>(
          t.coreUrl,
          `SELECT slug FROM organizations WHERE server = $1 AND status <> 'failed' ORDER BY slug`,
          [server],
        )
      ).map((r) => r.slug);
    const leaving = await on('second');
    expect(leaving.length).toBeGreaterThan(10);
    const token = await adminToken(t, owner, 'moving-a');
    const drained = await cli(['servers:drain', '--name', 'second']);
    expect(drained).toMatchObject({ code: 0 });
    expect(drained.stdout).toContain(`${leaving.length} moved, 0 failed; 0 organizations left on second`);
    expect(await on('second')).toEqual([]);
    expect(await on('primary')).toEqual(expect.arrayContaining(leaving));
    for (const slug of leaving) expect(await exists(two, (await org(slug)).id)).toBe(false);
    // A moved tenant serves from the first server with the tokens it had.
    const me = await t.http.get('/api/v1/users/me', { token, headers: tenantHeaders('moving-a') });
    expect(me.status).toBe(200);
    // The drained server has all the headroom, and still gets nothing new.
    await onboard(t, owner, 'after-drain');
    expect(await org('after-drain')).toMatchObject({ server: 'primary' });
    const list = await cli(['servers:list']);
    expect(list.stdout).toMatch(/^second\s.*\sdraining\s/m);
  }, 240_000);
});
