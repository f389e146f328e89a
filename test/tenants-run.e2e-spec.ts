import pg from 'pg';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity, tenantReaderPassword } from '../src/tenancy/index.js';
import { runCli } from './support/cli.js';
import { testServerUrl } from './support/servers.js';
import {
  adminToken,
  onboard,
  queryServer,
  tenantHeaders,
  verifiedOwner,
  type Owner,
} from './support/tenants.js';
import { startTestApp, TEST_ENV, type TestApp } from './support/test-app.js';

const TENANTS = 50;

/** Issue 12, acceptance 5: `tenants:run` over 50 tenants; writes are refused by Postgres, per tenant. */
describe('tenants:run', () => {
  let t: TestApp;
  let owner: Owner;
  const ids: Record<string, string> = {};
  const slugs = Array.from({ length: TENANTS }, (_, i) => `run-${String(i).padStart(2, '0')}`);
  const env = () => ({ DATABASE_URL: t.coreUrl });
  const productNames = async (slug: string) =>
    (
      await queryServer<{ name: string }>(
        withDatabase(testServerUrl(), tenantIdentity(ids[slug]).dbName),
        'SELECT name FROM products ORDER BY name',
      )
    ).map((r) => r.name);

  beforeAll(async () => {
    t = await startTestApp({ ORG_LIMIT_PER_OWNER: '1000' });
    owner = await verifiedOwner(t, 'runner@example.com');
    for (const slug of slugs) ids[slug] = (await onboard(t, owner, slug)).id;
    // Tenant i holds i % 3 products, so the counts tell the tenants apart.
    for (const [i, slug] of slugs.entries()) {
      if (i % 3 === 0) continue;
      const token = await adminToken(t, owner, slug);
      for (let p = 0; p < i % 3; p++) {
        const res = await t.http.post(
          '/api/v1/products',
          { sku: `SKU-${p}`, name: `=cmd|${slug}-${p}` },
          { token, headers: tenantHeaders(slug) },
        );
        if (res.status !== 201) throw new Error(`product: ${res.status} ${res.text}`);
      }
    }
  }, 240_000);
  afterAll(() => t?.close());

  it('prints one row per tenant, prefixed with its slug, as a table, JSON lines or CSV', async () => {
    const sql = 'select count(*)::int as products from products';
    const json = await runCli(['tenants:run', '--sql', sql, '--format', 'json', '--concurrency', '4'], env());
    expect(json.code).toBe(0);
    expect(json.stderr).toContain(`${TENANTS} tenants: ${TENANTS} answered, 0 failed`);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { tenant: string; products: number });
    expect(rows).toHaveLength(TENANTS);
    expect(Object.fromEntries(rows.map((r) => [r.tenant, r.products]))).toEqual(
      Object.fromEntries(slugs.map((slug, i) => [slug, i % 3])),
    );

    const table = await runCli(
      ['tenants:run', '--sql', sql, '--tenant', 'run-01', '--tenant', 'run-02'],
      env(),
    );
    expect(table.code).toBe(0);
    expect(table.stdout.trim().split('\n')).toEqual([
      'tenant  products',
      '------  --------',
      'run-01  1',
      'run-02  2',
    ]);

    const csv = await runCli(
      [
        'tenants:run',
        '--sql',
        'select name from products order by name',
        '--tenant',
        'run-01',
        '--format',
        'csv',
      ],
      env(),
    );
    expect(csv.code).toBe(0);
    // Like every CSV the service writes, a cell that a spreadsheet would run as a formula is neutralised.
    expect(csv.stdout).toBe("tenant,name\nrun-01,'=cmd|run-01-0\n");
  }, 120_000);

  it('refuses writes in Postgres, reports each tenant, and changes nothing', async () => {
    const before = await productNames('run-02');
    const attempts = [
      "update products set name = 'pwned'",
      "commit; update products set name = 'pwned'",
      "select set_config('transaction_read_only', 'off', true), nextval(pg_get_serial_sequence('audit_logs', 'id'))",
    ];
    for (const sql of attempts) {
      const run = await runCli(['tenants:run', '--sql', sql, '--concurrency', '8'], env());
      expect({ sql, code: run.code }).toEqual({ sql, code: 1 });
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`${TENANTS} tenants: 0 answered, ${TENANTS} failed`);
      for (const slug of slugs) expect(run.stderr).toMatch(new RegExp(`^${slug}: failed: .+$`, 'm'));
    }
    expect(await productNames('run-02')).toEqual(before);

    // Without the read-only transaction, the reader role still holds no write grant.
    const id = tenantIdentity(ids['run-02']);
    const url = new URL(withDatabase(testServerUrl(), id.dbName));
    url.username = id.readerRole;
    url.password = tenantReaderPassword(TEST_ENV.TENANT_DB_SECRET, ids['run-02']);
    const reader = new pg.Client({ connectionString: url.toString() });
    await reader.connect();
    try {
      await reader.query('SET default_transaction_read_only = off');
      await expect(reader.query("UPDATE products SET name = 'pwned'")).rejects.toThrow(/permission denied/);
      await expect(reader.query('TRUNCATE audit_logs')).rejects.toThrow(/permission denied/);
    } finally {
      await reader.end();
    }
    expect(await productNames('run-02')).toEqual(before);
  }, 120_000);

  it('names unknown tenants, and drops the reader role with its tenant', async () => {
    const unknown = await runCli(['tenants:run', '--sql', 'select 1', '--tenant', 'nobody-here'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no such tenant: nobody-here');

    const { readerRole } = tenantIdentity(ids['run-03']);
    const roles = () =>
      queryServer(testServerUrl(), 'SELECT 1 FROM pg_roles WHERE rolname = $1', [readerRole]);
    expect(await roles()).toHaveLength(1);
    const res = await t.http.delete(
      '/api/v1/core/organizations/run-03',
      { confirm: 'run-03' },
      { token: owner.token },
    );
    expect(res.status).toBe(202);
    expect(await roles()).toHaveLength(0);
  }, 60_000);

  it('stops each tenant at --max-rows (default 10,000), streaming, and says so (issue 20, finding 9)', async () => {
    const sql = 'select g from generate_series(1, 400000) g';
    const started = Date.now();
    const capped = await runCli(
      ['tenants:run', '--sql', sql, '--tenant', 'run-01', '--format', 'json'],
      env(),
    );
    expect(capped.code).toBe(0);
    expect(capped.stdout.trim().split('\n')).toHaveLength(10_000);
    expect(capped.stderr).toContain('run-01: stopped at 10000 rows (--max-rows to change)');
    // Generous: the 400k-row result used to run past 120 s; capped, it is a fraction of a second of work.
    expect(Date.now() - started).toBeLessThan(60_000);

    const five = await runCli(
      [
        'tenants:run',
        '--sql',
        sql,
        '--tenant',
        'run-01',
        '--tenant',
        'run-02',
        '--max-rows',
        '5',
        '--format',
        'csv',
      ],
      env(),
    );
    expect(five.code).toBe(0);
    const lines = five.stdout.trim().split('\n');
    expect(lines[0]).toBe('tenant,g');
    expect(lines.slice(1).sort()).toEqual(
      ['run-01', 'run-02'].flatMap((slug) => [1, 2, 3, 4, 5].map((g) => `${slug},${g}`)).sort(),
    );
    expect(five.stderr).toContain('run-02: stopped at 5 rows');

    const fits = await runCli(
      ['tenants:run', '--sql', 'select 1 as one', '--tenant', 'run-01', '--max-rows', '1'],
      env(),
    );
    expect(fits.stderr).not.toContain('stopped at');
    expect((await runCli(['tenants:run', '--sql', 'select 1', '--max-rows', '0'], env())).code).not.toBe(0);
  }, 120_000);
});
