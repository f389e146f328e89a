import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  dropTenantDatabase,
  FleetMigrator,
  TenantMigrator,
  type TenancySettings,
  TenantCatalog,
  TenantConnectionRegistry,
  tenantIdentity,
  TenantProvisioner,
} from '../../src/tenancy/index.js';
import { NotesAppModule } from '../notes-app/notes-app.module.js';
import { scratchDatabaseUrl, testServerUrl } from '../support/servers.js';

// Two tenants with pools of 2 could hold 4 connections: a budget of 3 binds.
const BUDGET = 3;
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
    const core = new pg.Client({ connectionString: scratch.url });
    await core.connect();
    const { rows } = await core.query<{ id: string }>('SELECT id FROM organizations');
    await core.end();
    for (const { id } of rows) await dropTenantDatabase(testServerUrl(), tenantIdentity(id));
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

  it('migrates existing tenants: both taken back one migration, then forward again by the fleet migrator', async () => {
    const catalog = app.get(TenantCatalog);
    const migrator = app.get(TenantMigrator);
    const fleet = app.get(FleetMigrator);
    for (const slug of ['alpha', 'beta']) {
      const reverted = await migrator.revertLast((await catalog.findBySlug(slug))!);
      expect(reverted.to).toBe('CreateNotes1800000000001');
    }
    const rows = await fleet.run(await fleet.targets([]), {
      concurrency: 2,
      continueOnError: false,
      dryRun: false,
    });
    expect(rows.map((r) => [r.slug, r.from, r.to, r.result])).toEqual([
      ['alpha', 'CreateNotes1800000000001', 'NoteAuthors1800000000002', 'migrated'],
      ['beta', 'CreateNotes1800000000001', 'NoteAuthors1800000000002', 'migrated'],
    ]);
    for (const slug of ['alpha', 'beta']) {
      // The column the reverted migration dropped is back (its values went with the revert).
      const notes = (await (await call('GET', slug)).json()) as { author: string | null }[];
      expect(notes[0]).toHaveProperty('author', null);
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

  it('stays within its connection budget under concurrent requests to both tenants, as Postgres counts them', async () => {
    const registry = app.get(TenantConnectionRegistry);
    const catalog = app.get(TenantCatalog);
    const databases = await Promise.all(
      ['alpha', 'beta'].map(async (slug) => (await catalog.findBySlug(slug))!.dbName),
    );
    const server = new pg.Client({ connectionString: testServerUrl() });
    await server.connect();
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await server.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ANY($1) AND backend_type = 'client backend'`,
          [databases],
        );
        peak = Math.max(peak, rows[0].n);
      }
    })();
    const replies = await Promise.all(
      Array.from({ length: 120 }, (_, i) => call('POST', i % 2 ? 'alpha' : 'beta', { body: `n${i}` })),
    );
    sampling = false;
    await sampler;
    await server.end();
    expect(replies.map((r) => r.status)).toEqual(Array(120).fill(201));
    expect([...registry.budgetsByServer().values()][0].tenants).toBe(BUDGET);
    // The load reached the budget (so it was what held the pools back), and never went past it.
    expect(registry.stats().peakOpen).toBe(BUDGET);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(BUDGET);
  });
});
