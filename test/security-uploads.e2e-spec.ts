import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TenantWorld } from './support/domain.js';
import { startService, type Service } from './support/service.js';
import { queryServer, tenantDatabaseAdminUrl, tenantHeaders } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';
import { upload } from './support/uploads.js';

/**
 * Issue 20, findings 1 and 7 (production configuration, the service as its own process): an upload over the
 * storage quota or over FILE_MAX_BYTES in its first chunk is refused and the process stays up (it used to
 * die of an unhandled 'error' event); a malformed multipart body is a 4xx problem, never a 500.
 */
describe('security: no upload ends the process', () => {
  let t: TestApp;
  let w: TenantWorld;
  let service: Service;
  let small: Service;
  let tenantId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-uploads-'));
  const auth = () => ({ authorization: `Bearer ${w.tokens.staff}`, ...tenantHeaders(w.slug) });
  const storedFiles = () => {
    const dir = join(dataDir, 'files', tenantId);
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const fileRows = async () =>
    (
      await queryServer<{ n: number }>(
        await tenantDatabaseAdminUrl(t.coreUrl, w.slug),
        'SELECT count(*)::int AS n FROM files',
      )
    )[0].n;
  const expectAlive = async (s: Service) => {
    expect(s.child.exitCode).toBeNull();
    expect(s.child.signalCode).toBeNull();
    expect((await s.http.get('/health/live')).status).toBe(200);
  };
  const setQuota = async (maxStorageBytes: number | null) => {
    const res = await t.http.patch(
      `/api/v1/core/organizations/${w.slug}/settings`,
      { limits: { maxStorageBytes } },
      { token: w.owner.token },
    );
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200)); // settings are in force on every instance within 1 s
  };

  beforeAll(async () => {
    // This instance takes no jobs: the export must run in the service, whose data directory holds the files.
    t = await startTestApp(PRODUCTION_ENV, { runWorkers: false });
    w = await TenantWorld.create(t, 'upload-crash');
    [{ id: tenantId }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
    const env = { ...PRODUCTION_ENV, DATABASE_URL: t.coreUrl, DATA_DIR: dataDir };
    service = await startService(env);
    small = await startService({ ...env, FILE_MAX_BYTES: '16' });
  }, 120_000);
  afterAll(async () => {
    for (const s of [service, small]) s?.child.kill('SIGKILL');
    await Promise.all([service?.exited, small?.exited]);
    await t?.close();
  });

  it('answers 403 QUOTA_EXCEEDED to 100 bytes over a 10-byte quota, keeps nothing, and stays up', async () => {
    await setQuota(10);
    for (let i = 0; i < 5; i++) {
      const res = await upload(service.http.baseUrl, auth(), { name: `over-${i}.bin`, size: 100 });
      expect({ status: res.status, code: res.body?.code }).toEqual({ status: 403, code: 'QUOTA_EXCEEDED' });
    }
    await expectAlive(service);
    expect(storedFiles()).toEqual([]);
    expect(await fileRows()).toBe(0);
    const fits = await upload(service.http.baseUrl, auth(), { name: 'fits.bin', size: 10 });
    expect(fits.status).toBe(201);
    await service.http.delete(`/api/v1/files/${fits.body.id}`, undefined, {
      token: w.tokens.admin,
      headers: tenantHeaders(w.slug),
    });
    await setQuota(null);
  }, 30_000);

  it('answers 413 FILE_TOO_LARGE when FILE_MAX_BYTES is smaller than the first chunk, and stays up', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await upload(small.http.baseUrl, auth(), { name: `big-${i}.bin`, size: 100 });
      expect({ status: res.status, code: res.body?.code }).toEqual({ status: 413, code: 'FILE_TOO_LARGE' });
    }
    await expectAlive(small);
    expect(storedFiles()).toEqual([]);
    expect(await fileRows()).toBe(0);
  });

  it('answers every malformed multipart body with a 4xx problem, and stays up', async () => {
    const boundary = `b${randomBytes(6).toString('hex')}`;
    const part = (name: string, filename = 'a.txt') =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
      `Content-Type: text/plain\r\n\r\nhello\r\n`;
    const end = `--${boundary}--\r\n`;
    const cases: [string, string, string][] = [
      ['no boundary', 'multipart/form-data', part('file') + end],
      ['an empty boundary', 'multipart/form-data; boundary=', part('file') + end],
      ['a 300-character boundary', `multipart/form-data; boundary=${'x'.repeat(300)}`, part('file') + end],
      ['no part at all', `multipart/form-data; boundary=${boundary}`, end],
      ['an empty body', `multipart/form-data; boundary=${boundary}`, ''],
      ['a part not named file', `multipart/form-data; boundary=${boundary}`, part('other') + end],
      ['two parts', `multipart/form-data; boundary=${boundary}`, part('file') + part('file', 'b.txt') + end],
      [
        'a field before the file',
        `multipart/form-data; boundary=${boundary}`,
        part('x', '') + part('file') + end,
      ],
      [
        'a 100 KB file name',
        `multipart/form-data; boundary=${boundary}`,
        part('file', 'n'.repeat(100_000)) + end,
      ],
      ['a cut-off part', `multipart/form-data; boundary=${boundary}`, part('file').slice(0, -4)],
      ['garbage', `multipart/form-data; boundary=${boundary}`, randomBytes(2000).toString('latin1')],
      ['JSON sent as multipart', `multipart/form-data; boundary=${boundary}`, '{"file":"x"}'],
    ];
    const outcomes: Record<string, { status: number; body: string }> = {};
    for (const [name, contentType, body] of cases) {
      const res = await fetch(`${service.http.baseUrl}/api/v1/files`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': contentType },
        body: Buffer.from(body, 'latin1'),
        signal: AbortSignal.timeout(10_000), // a body the service waits on for ever would fail here
      });
      outcomes[name] = { status: res.status, body: await res.text() };
      if (res.status !== 201)
        expect(res.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
    }
    // Well-formed, if odd: the first part is kept (one part per upload), a long name is cut to 255.
    expect([201, 400, 413]).toContain(outcomes['two parts'].status);
    expect(outcomes['a 100 KB file name'].status).toBe(201);
    expect((JSON.parse(outcomes['a 100 KB file name'].body) as { name: string }).name).toHaveLength(255);
    for (const [name, { status }] of Object.entries(outcomes))
      if (name !== 'two parts' && name !== 'a 100 KB file name')
        expect({ name, status: status >= 400 && status < 500 }).toEqual({ name, status: true });
    await expectAlive(service);
  }, 30_000);

  it('survives an export whose first attempt fails, and exports files named ".." under a safe name', async () => {
    const owner = { token: w.owner.token };
    const named = await upload(service.http.baseUrl, auth(), { name: '.. ', size: 10 });
    expect([named.status, named.body.name]).toEqual([201, 'file']);
    // A name stored before names were cleaned: the archive entry must still be a plain name.
    const dots = await upload(service.http.baseUrl, auth(), { name: 'dots.bin', size: 10 });
    await queryServer(
      await tenantDatabaseAdminUrl(t.coreUrl, w.slug),
      `UPDATE files SET name = '..' WHERE id = $1`,
      [dots.body.id],
    );
    const exportOnce = async () => {
      const started = await service.http.post(
        `/api/v1/core/organizations/${w.slug}/exports`,
        undefined,
        owner,
      );
      expect(started.status).toBe(202);
      return started.body.jobId as string;
    };
    const status = async (jobId: string) =>
      (await service.http.get(`/api/v1/core/organizations/${w.slug}/exports/${jobId}`, owner)).body.status;
    const first = await exportOnce();
    for (let i = 0; i < 150 && (await status(first)) !== 'done'; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(await status(first)).toBe('done');

    // Bytes gone from the store (a concurrent delete, a lost disk): the attempt fails, pg-boss retries it
    // (after 5 s), and the process lives through both attempts.
    const lost = await upload(service.http.baseUrl, auth(), { name: 'lost.bin', size: 10 });
    rmSync(join(dataDir, 'files', tenantId, lost.body.id));
    const second = await exportOnce();
    const [{ retries }] = await (async () => {
      for (let i = 0; i < 100; i++) {
        const rows = await queryServer<{ retries: number }>(
          t.coreUrl,
          `SELECT retry_count AS retries FROM pgboss.job WHERE id = $1 AND retry_count >= 1 AND state <> 'active'`,
          [second],
        );
        if (rows.length > 0) return rows;
        await new Promise((r) => setTimeout(r, 200));
      }
      return [{ retries: 0 }];
    })();
    expect(retries).toBeGreaterThanOrEqual(1);
    await expectAlive(service);
    await expectAlive(small);
  }, 60_000);
});
