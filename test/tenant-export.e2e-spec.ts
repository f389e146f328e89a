import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import yauzl from 'yauzl';
import { dropDatabase } from '../src/database/postgres-admin.js';
import { TenantWorld } from './support/domain.js';
import { scratchDatabaseUrl, testServerUrl } from './support/servers.js';
import { rssMb, startService, type Service } from './support/service.js';
import { queryServer, tenantDatabaseAdminUrl, tenantHeaders } from './support/tenants.js';
import type { TestApp } from './support/test-app.js';
import { upload } from './support/uploads.js';

const ROWS = 100_000;

/** Every entry of a zip archive: its name and its bytes (the spec's archives are small enough to read). */
function unzip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Buffer>();
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Issue 12, acceptance 4: the owner's export of a tenant with 100k rows, in constant memory. */
describe('owner export', () => {
  const core = scratchDatabaseUrl();
  let service: Service;
  let w: TenantWorld;
  let t: Pick<TestApp, 'http' | 'coreUrl'>;

  beforeAll(async () => {
    // One instance, its own process: the export job runs there, and its RSS is what is measured.
    service = await startService({ DATABASE_URL: core.url });
    t = { http: service.http, coreUrl: core.url };
    w = await TenantWorld.create(t as TestApp, 'export-co');
    await queryServer(
      await tenantDatabaseAdminUrl(core.url, w.slug),
      `INSERT INTO products (sku, name, price_cents)
       SELECT 'SKU-' || g, 'Product ' || g || ' "quoted", with a comma', g FROM generate_series(1, ${ROWS}) g`,
    );
  }, 120_000);
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await service?.exited;
    await dropDatabase(testServerUrl(), core.name);
  });

  it('builds the archive as a job, behind a short link, and it parses back to the same rows', async () => {
    const file = await upload(
      service.http.baseUrl,
      { authorization: `Bearer ${w.tokens.admin}`, ...tenantHeaders(w.slug) },
      {
        name: 'scan.pdf',
        size: 300_000,
      },
    );
    expect(file.status).toBe(201);
    const owner = { token: w.owner.token };
    const rssBefore = rssMb(service.child.pid!);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(service.child.pid!))), 50);

    const started = await t.http.post(`/api/v1/core/organizations/${w.slug}/exports`, undefined, owner);
    expect(started.status).toBe(202);
    let status: { status: string; url?: string; expiresAt?: string } = { status: 'queued' };
    for (let i = 0; i < 600 && status.status !== 'done' && status.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await t.http.get(`/api/v1/core/organizations/${w.slug}/exports/${started.body.jobId}`, owner))
        .body;
    }
    clearInterval(sampler);
    expect(status).toMatchObject({
      status: 'done',
      url: expect.stringMatching(/^\/api\/v1\/exports\/signed\//),
    });
    expect(Date.parse(status.expiresAt!) - Date.now()).toBeGreaterThan(10 * 60_000);
    // Streamed: the archive of 100k rows never sat in the service's memory.
    expect(rssPeak - rssBefore).toBeLessThan(64);

    // The link needs no token; without its signature it is refused.
    const download = await fetch(`${service.http.baseUrl}${status.url}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    const path = join(mkdtempSync(join(tmpdir(), 'tenantry-export-')), 'export.zip');
    await pipeline(Readable.fromWeb(download.body as ReadableStream), createWriteStream(path));
    const forged = await fetch(`${service.http.baseUrl}${status.url!.replace(/s=[^&]+/, 's=forged')}`);
    expect(forged.status).toBe(403);

    const entries = await unzip(path);
    const products = entries
      .get('products.jsonl')!
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { sku: string; name: string; price_cents: number });
    expect(products).toHaveLength(ROWS);
    const bySku = new Map(products.map((p) => [p.sku, p]));
    expect(bySku.get('SKU-4242')).toMatchObject({
      name: 'Product 4242 "quoted", with a comma',
      price_cents: 4242,
    });
    expect(bySku.size).toBe(ROWS);
    const users = entries.get('users.jsonl')!.toString();
    expect(users).toContain(w.owner.email);
    expect(users).not.toContain('password_hash');
    expect([...entries.keys()]).not.toContain('refresh_tokens.jsonl');
    expect(entries.get('audit_logs.jsonl')!.toString().trim().split('\n').length).toBeGreaterThan(3);
    const stored = [...entries.entries()].find(([name]) => name.startsWith(`files/${file.body.id}/`));
    expect(stored?.[0]).toBe(`files/${file.body.id}/scan.pdf`);
    expect(createHash('sha256').update(stored![1]).digest('hex')).toBe(file.sent);
  }, 180_000);

  it('is the owner’s alone', async () => {
    const stranger = await TenantWorld.create(t as TestApp, 'export-other');
    const res = await t.http.post(`/api/v1/core/organizations/${w.slug}/exports`, undefined, {
      token: stranger.owner.token,
    });
    expect(res.status).toBe(404);
  }, 60_000);
});
