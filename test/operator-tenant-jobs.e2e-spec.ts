import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from './support/cli.js';
import { expectProblem } from './support/http.js';
import { operatorToken } from './support/operators.js';
import { type OwnPostgres, startOwnPostgres } from './support/own-postgres.js';
import { adminToken, onboard, type Owner, queryServer, verifiedOwner } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 24, an operator's long actions on a tenant: back it up and move it to another server, each a job
 * (202 `{jobId}`, followed in GET /operator/jobs), recorded like every action; the backup is real (it
 * restores) and recorded (tenants:backups, the tenant table's lastBackupAt).
 */
describe('operator backup and move', () => {
  let t: TestApp;
  let second: OwnPostgres;
  let token: string;
  let owner: Owner;
  const cli = (args: string[]) => runCli(args, { DATABASE_URL: t.coreUrl });
  const post = (path: string, body?: object) =>
    t.http.post(`/api/v1/operator/tenants/${path}`, body, { token });
  /** Polls the jobs page until the job has settled; its state. */
  const settled = async (jobId: string) => {
    for (let i = 0; i < 200; i++) {
      const jobs = (await t.http.get('/api/v1/operator/jobs', { token })).body;
      const job = jobs.recent.find((j: { id: string }) => j.id === jobId);
      if (job && ['completed', 'failed'].includes(job.state)) return job;
      await sleep(150);
    }
    throw new Error(`job ${jobId} never settled`);
  };

  beforeAll(async () => {
    second = await startOwnPostgres(40);
    // Each job waits 1.5 s before it starts, so a request right after one is queued finds it queued.
    t = await startTestApp({ TENANTRY_JOB_HOLD_MS: '1500' });
    token = await operatorToken(t, 'jobs-ops@example.com');
    owner = await verifiedOwner(t, 'jobs@example.com');
    await onboard(t, owner, 'jobs-acme');
    await onboard(t, owner, 'jobs-held');
    expect((await cli(['servers:add', '--name', 'second', '--url', second.url])).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await second?.stop();
  });

  it('backs a tenant up as a job: recorded, listed, and restorable', async () => {
    const res = await post('jobs-acme/backup');
    expect(res.status).toBe(202);
    const job = await settled(res.body.jobId);
    expect(job).toMatchObject({ queue: 'backup.tenant', state: 'completed', error: null });
    const listed = await cli(['tenants:backups', '--tenant', 'jobs-acme']);
    expect(listed.code).toBe(0);
    // Verified at once: restored into a scratch database and found whole.
    expect(listed.stdout).toMatch(/[0-9a-f-]{36}\s+\S+\s+\d+\s+\S+\s+\d{4}-\d\d-\d\dT/);
    const [backup] = await queryServer<{ path: string; bytes: string }>(
      t.coreUrl,
      'SELECT path, bytes FROM tenant_backups',
    );
    expect(existsSync(backup.path)).toBe(true);
    expect(Number(backup.bytes)).toBeGreaterThan(0);
    const row = (await t.http.get('/api/v1/operator/tenants?q=jobs-acme', { token })).body.data[0];
    expect(row.lastBackupAt).toEqual(expect.any(String));
    expect(row.lastVerifiedRestoreAt).toEqual(expect.any(String));
    const restored = await cli([
      'tenants:restore',
      '--file',
      backup.path,
      '--slug',
      'jobs-copy',
      '--owner',
      owner.email,
    ]);
    expect(restored.code).toBe(0);
    const copyToken = await adminToken(t, owner, 'jobs-copy');
    const me = await t.http.get('/api/v1/users/me', {
      token: copyToken,
      headers: { 'x-tenant': 'jobs-copy' },
    });
    expect(me.body.email).toBe(owner.email);
  }, 60_000);

  it('moves a tenant to another server as a job; it serves from there', async () => {
    expectProblem(await post('jobs-acme/move', { to: 'nowhere' }), 400, 'VALIDATION_FAILED');
    expectProblem(await post('jobs-acme/move', { to: 'primary' }), 409, 'INVALID_TRANSITION');
    expectProblem(await post('jobs-acme/move', {}), 400, 'VALIDATION_FAILED');
    const res = await post('jobs-acme/move', { to: 'second' });
    expect(res.status).toBe(202);
    expect(await settled(res.body.jobId)).toMatchObject({ queue: 'move.tenant', state: 'completed' });
    const tenant = (await t.http.get('/api/v1/operator/tenants/jobs-acme', { token })).body;
    expect(tenant.server).toBe('second');
    const admin = await adminToken(t, owner, 'jobs-acme');
    const me = await t.http.get('/api/v1/users/me', { token: admin, headers: { 'x-tenant': 'jobs-acme' } });
    expect(me.status).toBe(200);
    // And back, online (both embedded servers run with wal_level=logical).
    expectProblem(await post('jobs-acme/move', { to: 'primary', online: 'yes' }), 400, 'VALIDATION_FAILED');
    const back = await post('jobs-acme/move', { to: 'primary', online: true });
    expect(back.status).toBe(202);
    // While it runs: the same request answers its job; another move (here a plain one) is refused.
    expect((await post('jobs-acme/move', { to: 'primary', online: true })).body).toEqual({
      jobId: back.body.jobId,
    });
    const other = await post('jobs-acme/move', { to: 'primary' });
    expectProblem(other, 409, 'INVALID_TRANSITION');
    expect(other.body.detail).toContain(`job ${back.body.jobId}, online: true`);
    expect(await settled(back.body.jobId)).toMatchObject({ queue: 'move.tenant', state: 'completed' });
    expect((await t.http.get('/api/v1/operator/tenants/jobs-acme', { token })).body.server).toBe('primary');
    const again = await t.http.get('/api/v1/users/me', {
      token: admin,
      headers: { 'x-tenant': 'jobs-acme' },
    });
    expect(again.status).toBe(200);
  }, 90_000);

  it('refuses what it cannot do, and records every attempt', async () => {
    expectProblem(await post('nobody/backup'), 404, 'ORGANIZATION_NOT_FOUND');
    expect(
      (await t.http.post('/api/v1/operator/tenants/jobs-held/suspend', undefined, { token })).status,
    ).toBe(200);
    expectProblem(await post('jobs-held/backup'), 409, 'INVALID_TRANSITION');
    expectProblem(await t.http.post('/api/v1/operator/tenants/jobs-held/backup'), 401, 'INVALID_TOKEN');
    const actions = await queryServer<{ action: string; tenant_slug: string; result: string }>(
      t.coreUrl,
      `SELECT action, tenant_slug, result FROM operator_actions WHERE action IN ('backup', 'move') ORDER BY created_at`,
    );
    expect(actions).toEqual([
      { action: 'backup', tenant_slug: 'jobs-acme', result: 'ok' },
      { action: 'move', tenant_slug: 'jobs-acme', result: 'VALIDATION_FAILED' },
      { action: 'move', tenant_slug: 'jobs-acme', result: 'INVALID_TRANSITION' },
      // (a body that fails validation never reaches the action: nothing to record)
      { action: 'move', tenant_slug: 'jobs-acme', result: 'ok' },
      { action: 'move', tenant_slug: 'jobs-acme', result: 'ok' },
      { action: 'move', tenant_slug: 'jobs-acme', result: 'ok' },
      { action: 'move', tenant_slug: 'jobs-acme', result: 'INVALID_TRANSITION' },
      { action: 'backup', tenant_slug: 'nobody', result: 'ORGANIZATION_NOT_FOUND' },
      { action: 'backup', tenant_slug: 'jobs-held', result: 'INVALID_TRANSITION' },
    ]);
  });
});
