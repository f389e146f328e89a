import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  type TenancySettings,
  TenantCatalog,
  TenantConnectionRegistry,
  TenantProvisioner,
} from '../../src/tenancy/index.js';
import { NotesAppModule } from '../notes-app/notes-app.module.js';
import { scratchDatabaseUrl, testServerUrl } from '../support/servers.js';
import { dropTenantDatabases } from '../support/test-app.js';

const BUDGET = 6;
const POOL_MAX = 2;

/**
 * The engine in another app (test/notes-app: one entity, its own migrations and controller, importing the
 * engine only through src/tenancy/index.ts — a lint rule keeps it so): it onboards two tenants, routes by
 * header, migrates both, and keeps its connections within the budget it is given.
 */
describe('a second app on the engine (notes)', () => {
  const scratch = scratchDatabaseUrl('tenantry_notes');
  let app: NestFastifyApplication;
  let base: string;
  const owner = {
    id: randomUUID(),
    email: 'notes-owner@example.com',
    name: 'Notes Owner',
    passwordHash: 'x',
  };

  let templatesBefore: string[] = [];
  const templates = async (client: pg.Client) =>
    (
      await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'tenantry_template_%'`,
      )
    ).rows.map((r) => r.datname);

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: testServerUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${scratch.name}"`);
    templatesBefore = await templates(admin);
    await admin.end();
    const settings: TenancySettings = {
      coreUrl: scratch.url,
      header: 'x-tenant',
      dbSecret: 'notes-app-db-secret-0123456789-abcdefghijk',
      poolMax: POOL_MAX,
      maxShare: 0.5,
      idleMs: 30_000,
      acquireTimeoutMs: 5_000,
      connectionBudget: BUDGET,
      provisioningConcurrency: 1,
      provisioningQueue: 4,
      sweepMs: 60_000,
      spares: 0,
      maxPerOwner: 5,
      catalogTtlMs: 60_000,
      hostConnections: 0,
      runWorkers: false,
    };
    app = await NestFactory.create<NestFastifyApplication>(
      NotesAppModule.forRoot(settings),
      new FastifyAdapter(),
      {
        logger: false,
      },
    );
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    const provisioner = app.get(TenantProvisioner);
    await provisioner.onboard(owner, 'Alpha', 'alpha');
    await provisioner.onboard(owner, 'Beta', 'beta');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await dropTenantDatabases(scratch.url);
    const admin = new pg.Client({ connectionString: testServerUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${scratch.name}" WITH (FORCE)`);
    // The engine's template database for this app's migration set: nothing of it stays on the server.
    for (const name of (await templates(admin)).filter((n) => !templatesBefore.includes(n))) {
      await admin.query(`ALTER DATABASE "${name}" IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
    await admin.end();
  });

  const call = (method: string, tenant: string | undefined, body?: unknown) =>
    fetch(`${base}/notes`, {
      method,
      headers: {
        ...(tenant ? { 'x-tenant': tenant } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('migrated both tenants to its latest migration and seeded each with the owner', async () => {
    const catalog = app.get(TenantCatalog);
    for (const slug of ['alpha', 'beta']) {
      expect((await catalog.findBySlug(slug))?.schemaVersion).toBe('NoteAuthors1800000000002');
      const notes = (await (await call('GET', slug)).json()) as { body: string; author: string }[];
      expect(notes).toEqual([expect.objectContaining({ body: 'Welcome', author: owner.email })]);
    }
  });

  it("routes each request by its header to that tenant's database, and refuses what it cannot route", async () => {
    expect((await call('POST', 'alpha', { body: 'only in alpha' })).status).toBe(201);
    const alpha = (await (await call('GET', 'alpha')).json()) as { body: string }[];
    const beta = (await (await call('GET', 'beta')).json()) as { body: string }[];
    expect(alpha.map((n) => n.body)).toEqual(['Welcome', 'only in alpha']);
    expect(beta.map((n) => n.body)).toEqual(['Welcome']);
    const unknown = await call('GET', 'gamma');
    expect([unknown.status, await unknown.json()]).toEqual([404, { code: 'TENANT_NOT_FOUND' }]);
    const missing = await call('GET', undefined);
    expect([missing.status, await missing.json()]).toEqual([400, { code: 'TENANT_HEADER_MISSING' }]);
  });

  it('stays within its connection budget under concurrent requests to both tenants', async () => {
    const registry = app.get(TenantConnectionRegistry);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, registry.stats().open)), 2);
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call('POST', i % 2 ? 'alpha' : 'beta', { body: `n${i}` })),
    );
    clearInterval(sampler);
    expect(replies.map((r) => r.status)).toEqual(Array(60).fill(201));
    expect([...registry.budgetsByServer().values()][0].tenants).toBe(BUDGET);
    expect(peak).toBeGreaterThan(0);
    // Two tenants × POOL_MAX each is the most they can hold, under the budget of 6.
    expect(peak).toBeLessThanOrEqual(2 * POOL_MAX);
    expect(registry.stats().peakOpen).toBeLessThanOrEqual(BUDGET);
  });
});
