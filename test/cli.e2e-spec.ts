import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantIdentity } from '../src/tenancy/index.js';
import { runCli } from './support/cli.js';
import { testServerUrl } from './support/servers.js';
import { onboard, Owner, PASSWORD, queryServer, tenantHeaders, verifiedOwner } from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

/** Test-only tenant migrations, loaded by the CLI through TENANTRY_EXTRA_TENANT_MIGRATIONS (NODE_ENV=test). */
function writeMigration(dir: string, className: string, table: string): string {
  const file = join(dir, `${className}.mjs`);
  writeFileSync(
    file,
    `export class ${className} {
  name = '${className}';
  async up(q) { await q.query('CREATE TABLE "${table}" (id serial PRIMARY KEY, body text)'); }
  async down(q) { await q.query('DROP TABLE "${table}"'); }
}
`,
  );
  return file;
}

describe('fleet migrations through the CLI', () => {
  const TENANTS = 30;
  let t: TestApp;
  let owner: Owner;
  let env: Record<string, string>;
  let withNotes: Record<string, string>;
  let withTags: Record<string, string>;
  const slugs = Array.from({ length: TENANTS }, (_, i) => `fleet-${String(i).padStart(2, '0')}`);
  const ids: Record<string, string> = {};
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-migrations-'));
  const notes = writeMigration(dir, 'AddNotes1895000000000', 'notes');
  const tags = writeMigration(dir, 'AddTags1895000000001', 'tags');

  const versionOf = async (slug: string) =>
    (
      await queryServer<{ schema_version: string }>(
        t.coreUrl,
        'SELECT schema_version FROM organizations WHERE slug = $1',
        [slug],
      )
    )[0].schema_version;
  const appliedIn = async (slug: string, name: string) =>
    Number(
      (
        await queryServer<{ n: string }>(
          new URL(`/${tenantIdentity(ids[slug]).dbName}`, testServerUrl()).toString(),
          'SELECT count(*) AS n FROM migrations WHERE name = $1',
          [name],
        )
      )[0].n,
    );

  beforeAll(async () => {
    // One owner holds the whole fleet here: the per-owner quota is not what this spec is about.
    t = await startTestApp({ ORG_LIMIT_PER_OWNER: '1000' });
    env = { DATABASE_URL: t.coreUrl, ORG_LIMIT_PER_OWNER: '1000' };
    withNotes = { ...env, TENANTRY_EXTRA_TENANT_MIGRATIONS: notes };
    withTags = { ...env, TENANTRY_EXTRA_TENANT_MIGRATIONS: `${notes},${tags}` };
    owner = await verifiedOwner(t, 'fleet@example.com');
    for (const slug of slugs) ids[slug] = (await onboard(t, owner, slug)).id;
  }, 180_000);
  afterAll(() => t?.close());

  it('has --help on every command', async () => {
    for (const command of [
      'migrate:core',
      'migrate:tenants',
      'migrate:status',
      'migrate:revert:tenants',
      'migration:generate',
      'tenants:list',
      'tenants:create',
    ]) {
      const res = await runCli([command, '--help'], env);
      expect({ command, code: res.code }).toEqual({ command, code: 0 });
      expect(res.stdout).toContain(`Usage: `);
    }
  });

  it('lists the tenants and runs migrate:core idempotently', async () => {
    const list = await runCli(['tenants:list'], env);
    expect(list.code).toBe(0);
    for (const slug of slugs) expect(list.stdout).toContain(slug);
    expect(list.stdout).toContain(`${TENANTS} tenants`);
    const core = await runCli(['migrate:core'], env);
    expect(core.stdout).toContain('core: up to date');
  });

  it('--dry-run lists the pending migration per tenant and runs nothing', async () => {
    const res = await runCli(['migrate:tenants', '--dry-run'], withNotes);
    expect(res.code).toBe(0);
    expect(res.stdout.match(/AddNotes1895000000000/g)?.length).toBeGreaterThanOrEqual(TENANTS);
    expect(await appliedIn(slugs[0], 'AddNotes1895000000000')).toBe(0);
  });

  it('with --continue-on-error migrates the reachable tenants, names the failed one and exits 1; a rerun after repair migrates only it', async () => {
    const broken = slugs[7];
    // Unreachable even for the admin session migrations run on.
    const db = tenantIdentity(ids[broken]).dbName;
    await queryServer(testServerUrl(), `ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
    const run = await runCli(['migrate:tenants', '--concurrency', '4', '--continue-on-error'], withNotes);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`${broken}\\s.*failed`));
    expect(run.stdout).toContain(`${TENANTS - 1} migrated`);
    expect(run.stdout).toContain('1 failed');
    expect(await versionOf(slugs[0])).toBe('AddNotes1895000000000');
    expect(await versionOf(broken)).not.toBe('AddNotes1895000000000');

    await queryServer(testServerUrl(), `ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`);
    const rerun = await runCli(['migrate:tenants', '--concurrency', '4'], withNotes);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`1 migrated, ${TENANTS - 1} up to date`);
    expect(rerun.stdout).toMatch(new RegExp(`${broken}\\s.*migrated`));
  });

  it('stops at the first failure without --continue-on-error', async () => {
    const broken = slugs[0];
    const db = tenantIdentity(ids[broken]).dbName;
    await queryServer(testServerUrl(), `ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
    try {
      const run = await runCli(['migrate:tenants', '--concurrency', '1'], withTags);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('1 failed');
      expect(run.stdout).toContain(`${TENANTS - 1} not started`);
    } finally {
      await queryServer(testServerUrl(), `ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`);
    }
  });

  it('two runs started at the same moment apply each migration exactly once per tenant', async () => {
    const [a, b] = await Promise.all([
      runCli(['migrate:tenants', '--concurrency', '4'], withTags),
      runCli(['migrate:tenants', '--concurrency', '4'], withTags),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    for (const slug of slugs) expect(await appliedIn(slug, 'AddTags1895000000001')).toBe(1);
    const status = await runCli(['migrate:status'], withTags);
    expect(status.stdout).toContain('nobody is behind');
    const again = await runCli(['migrate:tenants'], withTags);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`0 migrated, ${TENANTS} up to date`);
  });

  it('writes the catalog version a killed run did not get to write, on the next run', async () => {
    // A fleet run writes the catalog's versions in batches after the migrations: a run killed between
    // the two leaves the catalog behind the databases, and the next run (nothing to migrate) catches up.
    await queryServer(t.coreUrl, 'UPDATE organizations SET schema_version = NULL WHERE slug = ANY($1)', [
      [slugs[5], slugs[6]],
    ]);
    const run = await runCli(['migrate:tenants', '--concurrency', '4'], withTags);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`0 migrated, ${TENANTS} up to date`);
    for (const slug of [slugs[5], slugs[6]]) expect(await versionOf(slug)).toBe('AddTags1895000000001');
    const status = await runCli(['migrate:status'], withTags);
    expect(status.stdout).toContain('nobody is behind');
  });

  it('migrate:status --summary counts the tenants per version per server and names the failed ones', async () => {
    await queryServer(
      t.coreUrl,
      `UPDATE organizations SET status = 'failed', last_error = 'disk full' WHERE slug = $1`,
      [slugs[0]],
    );
    try {
      const summary = await runCli(['migrate:status', '--summary'], withTags);
      expect(summary.code).toBe(0);
      expect(summary.stdout).toMatch(
        new RegExp(`primary\\s+AddTags1895000000001\\s+${TENANTS - 1}\\s+current`),
      );
      expect(summary.stdout).toContain('1 failed:');
      expect(summary.stdout).toMatch(new RegExp(`${slugs[0]}\\s+primary\\s+disk full`));
    } finally {
      await queryServer(
        t.coreUrl,
        `UPDATE organizations SET status = 'active', last_error = NULL WHERE slug = $1`,
        [slugs[0]],
      );
    }
  });

  it('Ctrl-C stops after the tenants in flight and reports what ran', async () => {
    const slow = join(dir, 'AddSlow1895000000002.mjs');
    writeFileSync(
      slow,
      `export class AddSlow1895000000002 {
  name = 'AddSlow1895000000002';
  async up(q) { await q.query('SELECT pg_sleep(0.3)'); await q.query('CREATE TABLE slow (id int)'); }
  async down(q) { await q.query('DROP TABLE slow'); }
}
`,
    );
    const withSlow = { ...env, TENANTRY_EXTRA_TENANT_MIGRATIONS: `${notes},${tags},${slow}` };
    let sent = false;
    const res = await runCli(
      ['migrate:tenants', '--concurrency', '2'],
      withSlow,
      process.cwd(),
      (out, child) => {
        if (!sent && out.includes('[1/')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    expect({ code: res.code, out: res.stdout.slice(-600) }).toMatchObject({ code: 130 });
    const migrated = Number(/(\d+) migrated/.exec(res.stdout)?.[1]);
    const notStarted = Number(/(\d+) not started/.exec(res.stdout)?.[1]);
    expect(migrated).toBeGreaterThanOrEqual(1);
    expect(notStarted).toBeGreaterThan(0);
    expect(migrated + notStarted).toBe(TENANTS);
    expect(res.stdout).not.toContain('failed:');
    // Resume: the rest, and only the rest, is migrated by the next run; then it is undone for the next tests.
    const rest = await runCli(['migrate:tenants', '--concurrency', '4'], withSlow);
    expect(rest.stdout).toContain(`${notStarted} migrated, ${migrated} up to date`);
    const reverted = await runCli(
      ['migrate:revert:tenants', ...slugs.flatMap((s) => ['--tenant', s])],
      withSlow,
    );
    expect(reverted.code).toBe(0);
    for (const slug of slugs)
      expect(reverted.stdout).toContain(`${slug}: AddSlow1895000000002 → AddTags1895000000001`);
  }, 120_000);

  it('migrate:revert:tenants takes one tenant one version back and leaves the others', async () => {
    const res = await runCli(['migrate:revert:tenants', '--tenant', slugs[3]], withTags);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`${slugs[3]}: AddTags1895000000001 → AddNotes1895000000000`);
    expect(await versionOf(slugs[3])).toBe('AddNotes1895000000000');
    expect(await appliedIn(slugs[3], 'AddTags1895000000001')).toBe(0);
    expect(await versionOf(slugs[4])).toBe('AddTags1895000000001');
    const status = await runCli(['migrate:status'], withTags);
    expect(status.stdout).toContain(`1 behind: ${slugs[3]}`);
    // The tenant still serves while it is behind.
    const login = await t.http.post(
      '/api/v1/auth/login',
      { email: owner.email, password: PASSWORD },
      { headers: tenantHeaders(slugs[3]) },
    );
    expect(login.status).toBe(200);
  });

  it('tenants:create onboards exactly as the HTTP route does, on the new template version', async () => {
    const res = await runCli(['tenants:create', '--name', 'Acme', '--owner', owner.email], withTags);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/created acme \(.*\): active, schema AddTags1895000000001/);
    const login = await t.http.post(
      '/api/v1/auth/login',
      { email: owner.email, password: PASSWORD },
      { headers: tenantHeaders('acme') },
    );
    expect(login.status).toBe(200);
    const me = await t.http.get('/api/v1/users/me', {
      token: login.body.accessToken,
      headers: tenantHeaders('acme'),
    });
    expect(me.body).toMatchObject({ email: owner.email, role: 'admin' });
    const missing = await runCli(['tenants:create', '--name', 'Nope', '--owner', 'nobody@example.com'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no owner with email nobody@example.com');
  });

  it('migration:generate writes a migration whose up creates what changed and whose down undoes it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tenantry-generate-'));
    mkdirSync(join(root, 'migrations-tenant'));
    const entity = join(root, 'widget.entity.mjs');
    writeFileSync(
      entity,
      `import { EntitySchema } from '${join(process.cwd(), 'node_modules', 'typeorm', 'index.mjs')}';
export const Widget = new EntitySchema({
  name: 'Widget',
  tableName: 'widgets',
  columns: { id: { type: 'uuid', primary: true, generated: 'uuid' }, label: { type: 'varchar', length: 80 } },
});
`,
    );
    const res = await runCli(
      ['migration:generate', '--target', 'tenant', 'AddWidgets'],
      { ...env, TENANTRY_EXTRA_TENANT_ENTITIES: entity },
      root,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const [file] = readdirSync(join(root, 'migrations-tenant')).filter((f) =>
      /^\d{13}-AddWidgets\.ts$/.test(f),
    );
    const text = readFileSync(join(root, 'migrations-tenant', file), 'utf8');
    const up = text.slice(text.indexOf('up('), text.indexOf('down('));
    const down = text.slice(text.indexOf('down('));
    expect(up).toContain('CREATE TABLE "widgets"');
    expect(up).toContain('"label" character varying(80) NOT NULL');
    expect(down).toContain('DROP TABLE "widgets"');
    expect(readFileSync(join(root, 'migrations-tenant', 'index.ts'), 'utf8')).toContain('AddWidgets');
    // No entity change: nothing to write.
    const none = await runCli(['migration:generate', '--target', 'core', 'Nothing'], env, root);
    expect(none.stdout).toContain('no changes');
  });
});
