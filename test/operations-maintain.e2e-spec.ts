import { withDatabase } from '../src/database/postgres-identifiers.js';
import { tenantIdentity } from '../src/tenancy/index.js';
import { runCli } from './support/cli.js';
import { testServerUrl } from './support/servers.js';
import { onboard, queryServer, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TENANTS = 30;

/** Issue 11, acceptance 5: `tenants:maintain --vacuum --analyze` over 30 tenants. */
describe('tenants:maintain', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const slugs = Array.from({ length: TENANTS }, (_, i) => `maint-${String(i).padStart(2, '0')}`);
  const env = () => ({ DATABASE_URL: t.coreUrl });
  const lastVacuum = async (slug: string) => {
    const [row] = await queryServer<{ at: Date | null; analyzed: Date | null }>(
      withDatabase(testServerUrl(), tenantIdentity(ids[slug]).dbName),
      `SELECT last_vacuum AS at, last_analyze AS analyzed FROM pg_stat_user_tables WHERE relname = 'users'`,
    );
    return row;
  };

  beforeAll(async () => {
    t = await startTestApp({ ORG_LIMIT_PER_OWNER: '1000' });
    const owner = await verifiedOwner(t, 'maint@example.com');
    for (const slug of slugs) ids[slug] = (await onboard(t, owner, slug)).id;
  }, 180_000);
  afterAll(() => t?.close());

  it('vacuums and analyzes every tenant with progress and a report, exit 0', async () => {
    const before = await lastVacuum(slugs[0]);
    expect(before.at).toBeNull();
    const run = await runCli(['tenants:maintain', '--vacuum', '--analyze', '--concurrency', '4'], env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`[${TENANTS}/${TENANTS}]`);
    expect(run.stdout).toContain(`${TENANTS} tenants in`);
    expect(run.stdout).toContain(`(analyze, vacuum): ${TENANTS} done, 0 failed`);
    for (const slug of slugs) {
      expect(run.stdout).toMatch(new RegExp(`${slug}\\s+\\d+ ms\\s+done`));
      const stats = await lastVacuum(slug);
      expect({ slug, vacuumed: stats.at !== null, analyzed: stats.analyzed !== null }).toEqual({
        slug,
        vacuumed: true,
        analyzed: true,
      });
    }
  }, 120_000);

  it('reindexes the named tenants only, and names a tenant it could not reach (exit 1)', async () => {
    const broken = slugs[1];
    const db = tenantIdentity(ids[broken]).dbName;
    await queryServer(testServerUrl(), `ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
    try {
      const run = await runCli(
        ['tenants:maintain', '--reindex', '--tenant', slugs[0], '--tenant', broken],
        env(),
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`${slugs[0]}\\s+\\d+ ms\\s+done`));
      expect(run.stdout).toMatch(new RegExp(`${broken}\\s+\\d+ ms\\s+failed: `));
      expect(run.stdout).toContain('2 tenants in');
      expect(run.stdout).toContain('(reindex): 1 done, 1 failed');
    } finally {
      await queryServer(testServerUrl(), `ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`);
    }
  });

  it('refuses to run without an operation, or for an unknown tenant', async () => {
    const none = await runCli(['tenants:maintain'], env());
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('name at least one of --analyze, --vacuum, --reindex');
    const unknown = await runCli(['tenants:maintain', '--analyze', '--tenant', 'nope-nope'], env());
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no such tenant: nope-nope');
  });
});
