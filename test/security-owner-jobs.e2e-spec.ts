import { JOB_SCHEMA } from '../src/jobs/job-queue.service.js';
import { testServerUrl } from './support/servers.js';
import { onboard, queryServer, verifiedOwner, type Owner } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';

interface JobSpan {
  id: string;
  tenant: string;
  created: Date;
  started: Date | null;
  completed: Date | null;
  state: string;
  output: { startedAt?: string; ms?: number } | null;
}

const overlapping = (spans: { from: Date; to: Date | null }[]): number => {
  let pairs = 0;
  for (let i = 0; i < spans.length; i++)
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i];
      const b = spans[j];
      const aEnd = a.to?.getTime() ?? Infinity;
      const bEnd = b.to?.getTime() ?? Infinity;
      if (a.from.getTime() < bEnd && b.from.getTime() < aEnd) pairs++;
    }
  return pairs;
};

/**
 * Issue 20, finding 4 (production configuration): at most one queued-or-running maintenance (and export)
 * job per organization — a request while one is open gets that job's id (202) — and owner-started
 * maintenance runs one at a time per database server, whichever instance and worker runs it.
 */
describe('security: owner jobs are one per organization, maintenance one per server', () => {
  let t: TestApp;
  let owner: Owner;
  const slugs = ['jobs-one', 'jobs-two', 'jobs-three', 'jobs-four', 'jobs-five'];
  const spans = async (name: string): Promise<JobSpan[]> =>
    queryServer<JobSpan>(
      t.coreUrl,
      `SELECT id, data->>'slug' AS tenant, created_on AS created, started_on AS started,
              completed_on AS completed, state, output
         FROM ${JOB_SCHEMA}.job WHERE name = $1 ORDER BY created_on`,
      [name],
    );
  const settled = async (name: string, count: number) => {
    for (let i = 0; i < 300; i++) {
      const all = await spans(name);
      if (all.length >= count && all.every((s) => s.state === 'completed' || s.state === 'failed'))
        return all;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${name} jobs did not settle`);
  };

  beforeAll(async () => {
    t = await startTestApp({ ...PRODUCTION_ENV, JOB_CONCURRENCY: '4' });
    owner = await verifiedOwner(t, 'jobs-owner@example.com');
    for (const slug of slugs) await onboard(t, owner, slug);
  }, 120_000);
  afterAll(() => t?.close());

  it('answers 15 parallel maintenance requests of one organization with one job', async () => {
    const replies = await Promise.all(
      Array.from({ length: 15 }, () =>
        t.http.post(
          `/api/v1/core/organizations/${slugs[0]}/maintenance`,
          { operations: ['vacuum', 'analyze', 'reindex'] },
          { token: owner.token },
        ),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(15).fill(202));
    const ids = new Set(replies.map((r) => r.body.jobId));
    expect(ids.size).toBe(1);
    const all = await settled('maintenance.tenant', 1);
    expect(all).toHaveLength(1);
    expect(all[0].state).toBe('completed');
  }, 60_000);

  it('answers 15 parallel export requests of one organization with one job', async () => {
    const replies = await Promise.all(
      Array.from({ length: 15 }, () =>
        t.http.post(`/api/v1/core/organizations/${slugs[1]}/exports`, undefined, { token: owner.token }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(15).fill(202));
    expect(new Set(replies.map((r) => r.body.jobId)).size).toBe(1);
  });

  it('runs the maintenance of five organizations on one server one at a time', async () => {
    const before = (await spans('maintenance.tenant')).length;
    // Postgres's own view, sampled while they run: how many maintenance statements at once, at most.
    let sampling = true;
    let most = 0;
    const sampler = (async () => {
      for (let i = 0; sampling && i < 3000; i++) {
        const [{ n }] = await queryServer<{ n: number }>(
          testServerUrl(),
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE state = 'active' AND (query ILIKE 'VACUUM%' OR query ILIKE 'REINDEX%' OR query ILIKE 'ANALYZE%')`,
        );
        most = Math.max(most, n);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const replies = await Promise.all(
      slugs.map((slug) =>
        t.http.post(
          `/api/v1/core/organizations/${slug}/maintenance`,
          { operations: ['vacuum', 'analyze', 'reindex'] },
          { token: owner.token },
        ),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(5).fill(202));
    const all = (await settled('maintenance.tenant', before + 5)).slice(before);
    sampling = false;
    await sampler;
    expect(all.map((s) => s.state)).toEqual(Array(5).fill('completed'));
    expect(most).toBe(1);
    // Four workers fetch them together (their pg-boss spans overlap); the per-server lock makes the
    // maintenance itself (the output's startedAt + ms) disjoint in time.
    expect(overlapping(all.map((s) => ({ from: s.started!, to: s.completed })))).toBeGreaterThan(0);
    const runs = all.map((s) => {
      expect(typeof s.output?.startedAt).toBe('string');
      const from = new Date(s.output!.startedAt!);
      return { from, to: new Date(from.getTime() + s.output!.ms!) };
    });
    expect(overlapping(runs)).toBe(0);
  }, 90_000);
});
