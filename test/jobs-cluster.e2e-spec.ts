import PgBoss from 'pg-boss';
import { dropDatabase } from '../src/database/postgres-admin.js';
import { CLUSTER_ONLY_JOBS, SCHEDULED_JOBS, tenantQueue, triggerQueue } from '../src/jobs/job-definitions.js';
import { JOB_SCHEMA } from '../src/jobs/job-queue.service.js';
import { startService, type Service } from './support/service.js';
import { testServerUrl } from './support/servers.js';
import { onboard, queryServer, verifiedOwner } from './support/tenants.js';
import { dropTenantDatabases, startTestApp } from './support/test-app.js';

const SLUGS = ['cron-a', 'cron-b', 'cron-c'];

/** Issue 11, acceptance 1: scheduled runs happen once per cluster; a run survives the death of its instance. */
describe('jobs across instances', () => {
  let coreUrl: string;
  let coreDatabase: string;
  const running: Service[] = [];
  const start = async (env: Record<string, string>) => {
    const service = await startService({
      DATABASE_URL: coreUrl,
      JOB_MONITOR_SECONDS: '1',
      JOB_EXPIRE_SECONDS: '8',
      ...env,
    });
    running.push(service);
    return service;
  };
  const stop = async (service: Service, signal: NodeJS.Signals) => {
    service.child.kill(signal);
    await service.exited;
    running.splice(running.indexOf(service), 1);
  };
  const jobs = (where: string, params: unknown[]) =>
    queryServer<{
      id: string;
      name: string;
      state: string;
      slug: string | null;
      run: string | null;
      retries: number;
      created: Date;
    }>(
      coreUrl,
      `SELECT id, name, state, data->>'slug' AS slug, data->>'runId' AS run, retry_count AS retries,
              created_on AS created
         FROM ${JOB_SCHEMA}.job WHERE ${where} ORDER BY created_on`,
      params,
    );
  async function until<T>(
    what: string,
    probe: () => Promise<T | undefined | false>,
    ms = 90_000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    // The tenants are made by an in-process instance that is closed before the two under test start.
    const setup = await startTestApp();
    coreUrl = setup.coreUrl;
    coreDatabase = setup.coreDatabase;
    const owner = await verifiedOwner(setup, 'cron@example.com');
    for (const slug of SLUGS) await onboard(setup, owner, slug);
    await setup.app.close();
  }, 60_000);
  afterAll(async () => {
    for (const service of [...running]) await stop(service, 'SIGKILL');
    await dropTenantDatabases(coreUrl);
    await dropDatabase(testServerUrl(), coreDatabase);
  });

  it('runs each scheduled job once per trigger with two instances, fanned out once per tenant', async () => {
    const everyMinute = {
      JOB_DRAFT_CLEANUP_CRON: '* * * * *',
      JOB_WEEKLY_REPORT_CRON: '* * * * *',
      JOB_TOKEN_CLEANUP_CRON: '* * * * *',
      JOB_TENANT_PURGE_CRON: '* * * * *',
      BACKUP_CRON: '* * * * *',
    };
    const [a, b] = await Promise.all([start(everyMinute), start(everyMinute)]);
    try {
      // The current minute's trigger fires at once (pg-boss sends the last minute's tick it has not sent).
      await until('a completed run of every scheduled job', async () => {
        const rows = await jobs('name = ANY($1)', [SCHEDULED_JOBS.map(triggerQueue)]);
        return SCHEDULED_JOBS.every((n) => rows.some((r) => r.name === n && r.state === 'completed'));
      });
      for (const name of SCHEDULED_JOBS) {
        if (CLUSTER_ONLY_JOBS.includes(name)) continue;
        // Each run fanned out to each tenant once.
        const runs = await until(`${name}'s tenant jobs`, async () => {
          const rows = await jobs('name = $1', [tenantQueue(name)]);
          return rows.length >= SLUGS.length && rows.every((r) => r.state === 'completed') && rows;
        });
        const triggers = await jobs('name = $1', [triggerQueue(name)]);
        const runIds = triggers.map((t) => t.id).filter((id) => runs.some((r) => r.run === id));
        expect(runIds.length).toBeGreaterThanOrEqual(1); // the check below is over at least one run
        for (const runId of runIds)
          expect(
            runs
              .filter((r) => r.run === runId)
              .map((r) => r.slug)
              .sort(),
          ).toEqual(SLUGS);
      }
    } finally {
      await Promise.all([stop(a, 'SIGTERM'), stop(b, 'SIGTERM')]);
    }
    // One trigger per cron tick, whichever instance's clock ticked. A tick is pg-boss's send-it job (one per
    // schedule and minute slot); its worker inserts the trigger a poll later, so a trigger's own creation
    // minute may be the next one and is not the measure.
    const ticks = await queryServer<{ name: string; slot: string; state: string }>(
      coreUrl,
      `SELECT singleton_key AS name, singleton_on::text AS slot, state FROM ${JOB_SCHEMA}.job
        WHERE name = '__pgboss__send-it' AND singleton_key = ANY($1)`,
      [SCHEDULED_JOBS.map(triggerQueue)],
    );
    for (const name of SCHEDULED_JOBS) {
      const mine = ticks.filter((t) => t.name === triggerQueue(name));
      expect(new Set(mine.map((t) => t.slot)).size).toBe(mine.length);
      const sent = mine.filter((t) => t.state === 'completed').length;
      const triggers = await jobs('name = $1', [triggerQueue(name)]);
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(triggers).toHaveLength(sent);
    }
  }, 120_000);

  it('finishes on another instance a run whose instance was killed mid-run', async () => {
    const doomed = await start({ TENANTRY_JOB_HOLD_MS: '5000' });
    const boss = new PgBoss({
      connectionString: coreUrl,
      schema: JOB_SCHEMA,
      supervise: false,
      schedule: false,
      max: 1,
    });
    await boss.start();
    const runId = await boss.send(triggerQueue('draft-cleanup'), {});
    await boss.stop({ graceful: false, wait: true });
    const active = await until('tenant jobs active on the doomed instance', async () => {
      const rows = await jobs(`name = $1 AND data->>'runId' = $2`, [tenantQueue('draft-cleanup'), runId]);
      return rows.length === SLUGS.length && rows.some((r) => r.state === 'active') && rows;
    });
    await stop(doomed, 'SIGKILL');
    await start({});
    const finished = await until(
      'every tenant job of the run completed elsewhere',
      async () => {
        const rows = await jobs(`name = $1 AND data->>'runId' = $2`, [tenantQueue('draft-cleanup'), runId]);
        return rows.every((r) => r.state === 'completed') && rows;
      },
      60_000,
    );
    expect(finished.map((r) => r.slug).sort()).toEqual(SLUGS);
    const wasActive = active.filter((r) => r.state === 'active').map((r) => r.id);
    for (const row of finished.filter((r) => wasActive.includes(r.id)))
      expect(row.retries).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
