import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from './support/cli.js';
import { expectProblem } from './support/http.js';
import { inParallel, operatorToken } from './support/operators.js';
import { onboard, queryServer, tenantDatabaseAdminUrl, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TENANTS = 300;
const PROBE = 'FleetProbe1899000000000';
/** A migration of two steps (and a pause, so a run lasts long enough to be paused from elsewhere). */
const MIGRATION = `export class ${PROBE} { name = '${PROBE}';
  async up(q) { await q.query('CREATE TABLE fleet_note (id int)'); await q.query('SELECT pg_sleep(0.1)');
    await q.query('CREATE TABLE fleet_probe (id int)'); }
  async down(q) { await q.query('DROP TABLE fleet_probe'); await q.query('DROP TABLE fleet_note'); } }\n`;

const slugOf = (i: number) => `fleet-${String(i).padStart(3, '0')}`;
/** 5 % of the fleet, spread over it: a table in the way makes the migration fail there. */
const BROKEN = Array.from({ length: TENANTS }, (_, i) => i)
  .filter((i) => i % 20 === 10)
  .map(slugOf);

/**
 * Issue 24, fleet rollouts: a run in waves over 300 tenants, a migration failing on 5 % of them. The run
 * pauses in the first wave it fails in (exit code 3, nothing later started, no tenant half-migrated); after
 * the fix it is resumed by another process, paused from a third, refused to a second executor, and resumed
 * to completion by an instance through the operator API.
 */
describe('fleet runs in waves', () => {
  let t: TestApp;
  let withProbe: TestApp;
  let env: Record<string, string>;
  let token: string;
  const urls = new Map<string, string>();

  /** Per tenant: whether the probe migration is recorded, and whether its first table exists. */
  const stateOf = async (slug: string) => {
    const [row] = await queryServer<{ recorded: boolean; note: boolean }>(
      urls.get(slug)!,
      `SELECT EXISTS (SELECT 1 FROM migrations WHERE name = $1) AS recorded,
              to_regclass('fleet_note') IS NOT NULL AS note`,
      [PROBE],
    );
    return row;
  };
  const run = (id: string) => t.http.get(`/api/v1/operator/fleet-runs/${id}`, { token });

  beforeAll(async () => {
    // Both instances verify the same operators' tokens.
    const secret = { JWT_OPERATOR_SECRET: 'fleet-operator-secret-0123456789-abcdef' };
    t = await startTestApp({ ...secret, ORG_LIMIT_PER_OWNER: String(TENANTS) });
    const owner = await verifiedOwner(t, 'fleet@example.com');
    const slugs = Array.from({ length: TENANTS }, (_, i) => slugOf(i));
    await inParallel(slugs, 2, async (slug) => void (await onboard(t, owner, slug)));
    await inParallel(
      slugs,
      8,
      async (slug) => void urls.set(slug, await tenantDatabaseAdminUrl(t.coreUrl, slug)),
    );
    for (const slug of BROKEN) await queryServer(urls.get(slug)!, 'CREATE TABLE fleet_probe (x int)');
    const file = join(mkdtempSync(join(tmpdir(), 'tenantry-fleet-')), `${PROBE}.mjs`);
    writeFileSync(file, MIGRATION);
    env = { DATABASE_URL: t.coreUrl, TENANTRY_EXTRA_TENANT_MIGRATIONS: file };
    withProbe = await startTestApp({ ...env, ...secret }, { runWorkers: false });
    token = await operatorToken(t, 'fleet-ops@example.com');
  }, 300_000);
  afterAll(async () => {
    await withProbe?.app.close();
    await t?.close();
  });

  let id: string;

  it('pauses in the first wave a failure puts over the rate: exit 3, later waves not started', async () => {
    const first = await runCli(
      ['migrate:tenants', '--waves', '1,10,50,100', '--canary', 'fleet-299', '--max-failure-rate', '0.02'],
      env,
    );
    expect(first.stdout).toMatch(/resume with: migrate:resume/);
    expect(first.code).toBe(3);
    id = /fleet run ([0-9a-f-]{36})/.exec(first.stdout)![1];
    const report = (await run(id)).body;
    expect(report.status).toBe('paused');
    expect(report.pausedReason).toMatch(/wave 10%: 1 of 27 tenants failed/);
    expect(report.waves.map((w: { name: string; tenants: number }) => [w.name, w.tenants])).toEqual([
      ['canary', 1],
      ['1%', 3],
      ['10%', 27],
      ['50%', 120],
      ['100%', 149],
    ]);
    const [canary, one, ten, half, all] = report.waves;
    expect([canary.migrated, one.migrated]).toEqual([1, 3]);
    expect(ten.failed).toBe(1);
    expect(ten.migrated + ten.failed + ten.pending).toBe(27);
    expect([half.pending, all.pending]).toEqual([120, 149]);
    expect(report.failures).toEqual([
      expect.objectContaining({
        slug: 'fleet-010',
        wave: '10%',
        error: expect.stringMatching(/already exists/),
      }),
    ]);
    // Each tenant is either migrated completely or not at all (its migration's transaction rolled back).
    const migrated = new Set<string>();
    await inParallel([...urls.keys()], 8, async (slug) => {
      const s = await stateOf(slug);
      expect(s.note).toBe(s.recorded);
      if (s.recorded) migrated.add(slug);
    });
    expect(migrated.size).toBe(1 + 3 + ten.migrated);
    expect(migrated.has('fleet-010')).toBe(false);
  }, 120_000);

  it('is resumed by another process after the fix, paused from a third, and refused to a second executor', async () => {
    for (const slug of BROKEN) await queryServer(urls.get(slug)!, 'DROP TABLE fleet_probe');
    // An instance of a build without the run's migration (the older one, mid-deploy) may not take it over.
    const older = await t.http.post(`/api/v1/operator/fleet-runs/${id}/resume`, undefined, { token });
    expectProblem(older, 409, 'INVALID_TRANSITION');
    expect(older.body.detail).toMatch(/resume it from a build that has that migration/);
    type During = { busy: Awaited<ReturnType<TestApp['http']['post']>>; pause: { code: number | null } };
    let during: Promise<During> | undefined;
    const resumed = await runCli(['migrate:resume', id], env, undefined, (out) => {
      if (during || out.split('\n').filter((l) => l.startsWith('[')).length < 8) return;
      during = (async () => ({
        busy: await withProbe.http.post(`/api/v1/operator/fleet-runs/${id}/resume`, undefined, { token }),
        pause: await runCli(['migrate:pause', id], env),
      }))();
    });
    const { busy, pause } = await during!;
    expectProblem(busy, 409, 'INVALID_TRANSITION');
    expect(pause.code).toBe(0);
    expect(resumed.code).toBe(3);
    const report = (await run(id)).body;
    expect(report).toMatchObject({
      status: 'paused',
      pausedReason: expect.stringMatching(/^paused by cli:/),
    });
    expect(report.waves[2]).toMatchObject({ failed: 0, pending: 0 }); // fleet-010 retried first
    expect(report.totals.pending).toBeGreaterThan(0);
  }, 120_000);

  it('is completed by an instance through the operator API: every tenant at the new version', async () => {
    const res = await withProbe.http.post(`/api/v1/operator/fleet-runs/${id}/resume`, undefined, { token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('running');
    const deadline = Date.now() + 90_000; // generous: ~250 tenants × 0.1 s, 4 at a time, on a busy machine
    let report = (await run(id)).body;
    while (report.status === 'running' && Date.now() < deadline) {
      await sleep(250);
      report = (await run(id)).body;
    }
    expect(report.status).toBe('completed');
    expect(report.totals).toMatchObject({ tenants: TENANTS, failed: 0, pending: 0, skipped: 0 });
    expect(report.totals.migrated).toBe(TENANTS);
    const versions = await queryServer<{ v: string; n: number }>(
      t.coreUrl,
      `SELECT schema_version AS v, count(*)::int AS n FROM organizations GROUP BY 1`,
    );
    expect(versions).toEqual([{ v: PROBE, n: TENANTS }]);
    await inParallel([...urls.keys()], 8, async (slug) =>
      expect(await stateOf(slug)).toEqual({ recorded: true, note: true }),
    );

    const list = await t.http.get('/api/v1/operator/fleet-runs', { token });
    expect(list.body.map((r: { id: string }) => r.id)).toContain(id);
    const actions = await queryServer<{ action: string; result: string }>(
      t.coreUrl,
      `SELECT action, result FROM operator_actions WHERE action LIKE 'fleet-run-%' ORDER BY created_at`,
    );
    expect(actions).toEqual([
      { action: 'fleet-run-resume', result: 'INVALID_TRANSITION' },
      { action: 'fleet-run-resume', result: 'INVALID_TRANSITION' },
      { action: 'fleet-run-resume', result: 'ok' },
    ]);
    const listed = await runCli(['migrate:runs'], env);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+completed`));
    const again = await runCli(['migrate:pause', id], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/completed cannot be paused/);
  }, 180_000);

  it('answers 404 for an unknown run and refuses other token contexts', async () => {
    expectProblem(await run('00000000-0000-4000-8000-000000000000'), 404, 'FLEET_RUN_NOT_FOUND');
    expectProblem(await run('not-a-uuid'), 404, 'FLEET_RUN_NOT_FOUND');
    expectProblem(await t.http.get('/api/v1/operator/fleet-runs'), 401, 'INVALID_TOKEN');
    const jobs = await t.http.get('/api/v1/operator/jobs', { token });
    expect(jobs.status).toBe(200);
    expect(Array.isArray(jobs.body.queues)).toBe(true);
    expect(Array.isArray(jobs.body.recent)).toBe(true);
  });
});
