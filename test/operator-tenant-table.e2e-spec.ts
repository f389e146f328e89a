import { setTimeout as sleep } from 'node:timers/promises';
import { expectProblem } from './support/http.js';
import { operatorToken } from './support/operators.js';
import {
  adminToken,
  onboard,
  queryServer,
  tenantDatabaseAdminUrl,
  verifiedOwner,
} from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Row {
  slug: string;
  databaseBytes: number | null;
  lastActivityAt: string | null;
  requestsPerMinute: number;
  p99Ms: number | null;
}

/**
 * Issue 24, the tenant table: sorted by load (requests over 15 minutes), size (database bytes, measured in the
 * background) and last activity, with keyset pages that follow the sort, each row's requests per minute and p99.
 */
describe('operator tenant table', () => {
  let t: TestApp;
  let token: string;
  const tenantTokens = new Map<string, string>();
  const list = (query: string) => t.http.get(`/api/v1/operator/tenants?${query}`, { token });
  const slugs = async (query: string) => ((await list(query)).body.data as Row[]).map((r) => r.slug);
  const hit = (slug: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, () =>
        t.http.get('/api/v1/users/me', { token: tenantTokens.get(slug)!, headers: { 'x-tenant': slug } }),
      ),
    );
  /** Polls the table until `done` holds (figures are flushed every 100 ms here, sizes in the background). */
  const until = async (query: string, done: (rows: Row[]) => boolean) => {
    let rows: Row[] = [];
    for (let i = 0; i < 100; i++) {
      rows = (await list(query)).body.data;
      if (done(rows)) return rows;
      await sleep(100);
    }
    throw new Error(`table never settled: ${JSON.stringify(rows)}`);
  };

  beforeAll(async () => {
    t = await startTestApp({ TENANTRY_FIGURES_FLUSH_MS: '100' });
    token = await operatorToken(t, 'table-ops@example.com');
    const owner = await verifiedOwner(t, 'table@example.com');
    for (const slug of ['t-busy', 't-medium', 't-big', 't-quiet']) {
      await onboard(t, owner, slug);
      tenantTokens.set(slug, await adminToken(t, owner, slug)); // a tenant request: its first activity
    }
    await onboard(t, owner, 't-never');
    await queryServer(
      await tenantDatabaseAdminUrl(t.coreUrl, 't-big'),
      `CREATE TABLE filler AS SELECT repeat('x', 1000) AS x FROM generate_series(1, 8000)`,
    );
  }, 120_000);
  afterAll(() => t?.close());

  it('sorts by load, busiest first, with requests per minute and p99 of each', async () => {
    await hit('t-busy', 40);
    await hit('t-medium', 15);
    await hit('t-big', 3);
    const order = ['t-busy', 't-medium', 't-big', 't-quiet', 't-never'];
    const rows = await until('sort=load', (r) => r.map((x) => x.slug).join() === order.join());
    expect(rows[0].requestsPerMinute).toBeGreaterThanOrEqual(40 / 15);
    expect(rows[0].p99Ms).toBeGreaterThan(0);
    expect(rows[4]).toMatchObject({ requestsPerMinute: 0, p99Ms: null, lastActivityAt: null });
    expect(await slugs('sort=load&order=asc')).toEqual([...order].reverse());
  });

  it('sorts by last activity, the most recent first, never-active last', async () => {
    await sleep(300);
    await hit('t-big', 1);
    await until('sort=activity', (r) => r[0]?.slug === 't-big');
    const rows: Row[] = (await list('sort=activity')).body.data;
    expect(rows[0].slug).toBe('t-big');
    // t-quiet's one request (the token exchange) came before everyone's traffic; t-never had none.
    expect(rows.slice(3).map((r) => [r.slug, r.lastActivityAt === null])).toEqual([
      ['t-quiet', false],
      ['t-never', true],
    ]);
  });

  it('sorts by database size once measured, the biggest first', async () => {
    const rows = await until('sort=size', (r) => r.every((x) => x.databaseBytes !== null));
    expect(rows[0].slug).toBe('t-big');
    expect(rows[0].databaseBytes!).toBeGreaterThan(rows[1].databaseBytes! + 4_000_000);
    expect(await slugs('sort=size&order=asc')).not.toEqual(await slugs('sort=size'));
    expect((await slugs('sort=size&order=asc')).at(-1)).toBe('t-big');
  });

  it('pages through a sort with its keyset cursor, and refuses a cursor of another order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`sort=load&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...(res.body.data as Row[]).map((r) => r.slug));
      cursor = res.body.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(await slugs('sort=load'));
    const bySlug = (await list('limit=1')).body.nextCursor as string;
    expectProblem(await list(`sort=load&cursor=${bySlug}`), 400, 'VALIDATION_FAILED');
    expectProblem(await list('sort=bytes'), 400, 'VALIDATION_FAILED');
    expectProblem(await list('sort=size&order=sideways'), 400, 'VALIDATION_FAILED');
  });
});
