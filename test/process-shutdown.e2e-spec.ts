import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOB_SCHEMA } from '../src/jobs/job-queue.service.js';
import { TenantWorld } from './support/domain.js';
import { startService, type Service } from './support/service.js';
import { SseClient } from './support/sse.js';
import { queryServer, tenantHeaders } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Generous bound on the whole shutdown (the service's own deadline, SHUTDOWN_TIMEOUT_MS, is 20 s). */
const EXITS_WITHIN_MS = 15_000;

/** An upload that takes about `ms` to send (1 MiB in 16 pieces): in flight when the signal comes. */
function slowUpload(base: string, headers: Record<string, string>, ms: number): Promise<number> {
  const boundary = 'slowBoundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const piece = Buffer.alloc(64 * 1024, 7);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/v1/files`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + 16 * piece.length + tail.length),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    const timer = setInterval(() => {
      req.write(piece);
      if (++sent === 16) {
        clearInterval(timer);
        req.end(tail);
      }
    }, ms / 16);
  });
}

/**
 * Issue 21, item 6: SIGTERM with work in flight. A request being received finishes (201), an open event
 * stream ends, a job being run finishes, and the process exits 0 well within its deadline.
 */
describe('SIGTERM with work in flight', () => {
  let t: TestApp;
  let w: TenantWorld;
  let service: Service;
  beforeAll(async () => {
    // This instance takes no jobs: the one in flight is the service's.
    t = await startTestApp({}, { runWorkers: false });
    w = await TenantWorld.create(t, 'shutdown-co');
    service = await startService({
      DATABASE_URL: t.coreUrl,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tenantry-shutdown-')),
      TENANTRY_JOB_HOLD_MS: '3000',
    });
  }, 60_000);
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await t?.close();
  });

  it('finishes the request and the job in flight, ends the streams, and exits 0', async () => {
    const auth = { authorization: `Bearer ${w.tokens.staff}`, ...tenantHeaders(w.slug) };
    const stream = await SseClient.open(`${service.http.baseUrl}/api/v1/events`, auth);
    expect(stream.status).toBe(200);
    const job = await service.http.post(
      `/api/v1/core/organizations/${w.slug}/maintenance`,
      { operations: ['analyze'] },
      { token: w.owner.token },
    );
    expect(job.status).toBe(202);
    // The job is held 3 s once fetched (workers poll every 2 s); the upload takes 3 s.
    for (let i = 0; i < 50; i++) {
      const [row] = await queryServer<{ state: string }>(
        t.coreUrl,
        `SELECT state FROM ${JOB_SCHEMA}.job WHERE id = $1`,
        [job.body.jobId],
      );
      if (row?.state === 'active') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const upload = slowUpload(service.http.baseUrl, auth, 3000);
    await new Promise((r) => setTimeout(r, 500));
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    const [code, status] = await Promise.all([service.exited, upload]);
    const tookMs = Date.now() - signalledAt;
    expect({ code, status }).toEqual({ code: 0, status: 201 });
    expect(tookMs).toBeLessThan(EXITS_WITHIN_MS);
    expect(stream.closed).toBe(true);
    const [row] = await queryServer<{ state: string; output: unknown }>(
      t.coreUrl,
      `SELECT state, output FROM ${JOB_SCHEMA}.job WHERE id = $1`,
      [job.body.jobId],
    );
    expect(row.state).toBe('completed');
    await expect(fetch(`${service.http.baseUrl}/health/live`)).rejects.toThrow();
  }, 60_000);
});
