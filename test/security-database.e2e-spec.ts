import jwt from 'jsonwebtoken';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDatabase } from '../src/database/postgres-identifiers.js';
import { CORE_JWT } from '../src/core/auth/core-jwt.constants.js';
import { TENANT_JWT, tenantSigningKey } from '../src/tenant/auth/tenant-jwt.constants.js';
import { tenantDatabaseUrl, tenantIdentity } from '../src/tenancy/index.js';
import { runCli } from './support/cli.js';
import { TenantWorld } from './support/domain.js';
import { TENANT_SCRAM_ITERATIONS } from '../src/database/scram-verifier.js';
import { expectProblem } from './support/http.js';
import { testServerUrl } from './support/servers.js';
import { queryServer, tenantHeaders } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 9, finding 12: per tenant an owner role (NOLOGIN) owns the schema and runs migrations, the login role
 * the service runs as has DML only and can only append to the audit log; core closed to tenant roles; `exp`
 * required; live products only.
 */
describe('security: defence in depth', () => {
  let t: TestApp;
  let w: TenantWorld;
  let tenantId: string;
  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'depth-co');
    [{ id: tenantId }] = await queryServer<{ id: string }>(
      t.coreUrl,
      'SELECT id FROM organizations WHERE slug = $1',
      [w.slug],
    );
  });
  afterAll(() => t?.close());

  it("refuses a tenant role's connection to the core database", async () => {
    const tenantUrl = new URL(tenantDatabaseUrl(t.coreUrl, tenantId, t.config.tenants.dbSecret));
    const own = new pg.Client({ connectionString: tenantUrl.toString() });
    await own.connect(); // its own database: yes
    await own.end();
    const core = new pg.Client({ connectionString: withDatabase(tenantUrl.toString(), t.coreDatabase) });
    core.on('error', () => undefined);
    await expect(core.connect()).rejects.toThrow(/permission denied/);
  });

  it('refuses access tokens without exp in both contexts', async () => {
    const tenantToken = jwt.sign(
      { typ: TENANT_JWT.type, tid: tenantId },
      tenantSigningKey(t.config.jwt.tenantSecret, tenantId),
      {
        algorithm: 'HS256',
        audience: TENANT_JWT.audience,
        issuer: TENANT_JWT.issuer,
        subject: w.ids.admin,
      },
    );
    expectProblem(
      await t.http.get('/api/v1/users/me', { token: tenantToken, headers: tenantHeaders(w.slug) }),
      401,
      'INVALID_TOKEN',
    );
    const coreToken = jwt.sign({ typ: CORE_JWT.type, iat: Date.now() / 1000 }, t.config.jwt.coreSecret, {
      algorithm: 'HS256',
      audience: CORE_JWT.audience,
      issuer: CORE_JWT.issuer,
      subject: w.owner.id,
    });
    expectProblem(await t.http.get('/api/v1/core/me', { token: coreToken }), 401, 'INVALID_TOKEN');
  });

  it('refuses a purchase-request line of a soft-deleted product (404 PRODUCT_NOT_FOUND)', async () => {
    const product = await w.product();
    expect((await w.as('admin').delete(`/api/v1/products/${product.id}`)).status).toBe(204);
    expectProblem(
      await w
        .as('staff')
        .post('/api/v1/purchase-requests', { lines: [{ productId: product.id, quantity: 1 }] }),
      404,
      'PRODUCT_NOT_FOUND',
    );
  });

  /** Runs `sql` as the tenant's login role (what the service connects as); the error message, or 'ok'. */
  async function asLoginRole(sql: string): Promise<string> {
    const login = new pg.Client({
      connectionString: tenantDatabaseUrl(t.coreUrl, tenantId, t.config.tenants.dbSecret),
    });
    await login.connect();
    try {
      await login.query(sql);
      return 'ok';
    } catch (err) {
      return (err as Error).message;
    } finally {
      await login.end();
    }
  }

  const TAMPERING: [string, RegExp][] = [
    ['TRUNCATE audit_logs', /permission denied/],
    ['ALTER TABLE audit_logs DISABLE TRIGGER ALL', /must be owner/],
    ['DROP TRIGGER audit_logs_immutable ON audit_logs', /must be owner/],
    ['UPDATE audit_logs SET action = action', /permission denied/],
    ['DELETE FROM audit_logs', /permission denied/],
    ['DROP TABLE users', /must be owner/],
    ['ALTER TABLE users ADD COLUMN intruder int', /must be owner/],
    ['CREATE TABLE intruder (id int)', /permission denied for schema public/],
    ['INSERT INTO migrations ("timestamp", name) VALUES (1, \'x\')', /permission denied/],
    ['CREATE TEMP TABLE intruder (id int)', /permission denied/],
  ];

  it('gives the login role DML only: it can neither alter, truncate nor rewrite the audit log', async () => {
    await w.product(); // an audited write, through the service, as the login role
    for (const [sql, refused] of TAMPERING)
      expect({ sql, outcome: await asLoginRole(sql) }).toEqual({
        sql,
        outcome: expect.stringMatching(refused),
      });
    expect(await asLoginRole('SELECT count(*) FROM audit_logs')).toBe('ok');
    const [db] = await queryServer<{ owner: string }>(
      testServerUrl(),
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [tenantIdentity(tenantId).dbName],
    );
    expect(db.owner).toBe(tenantIdentity(tenantId).ownerRole);
  });

  it('converts a tenant built before the role split on migrate:tenants, and it keeps serving', async () => {
    const id = tenantIdentity(tenantId);
    // The old layout: the login role owns the database and everything in it; no owner role.
    const inside = withDatabase(testServerUrl(), id.dbName);
    await queryServer(inside, `REASSIGN OWNED BY "${id.ownerRole}" TO "${id.role}"`);
    await queryServer(inside, `DROP OWNED BY "${id.ownerRole}"`);
    await queryServer(testServerUrl(), `DROP ROLE "${id.ownerRole}"`);
    expect(await asLoginRole('ALTER TABLE audit_logs DISABLE TRIGGER ALL')).toBe('ok'); // the finding
    await asLoginRole('ALTER TABLE audit_logs ENABLE TRIGGER ALL');

    const run = await runCli(['migrate:tenants'], { DATABASE_URL: t.coreUrl, ORG_LIMIT_PER_OWNER: '1000' });
    expect(run.code).toBe(0);
    const owners = await queryServer<{ owner: string }>(
      inside,
      `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()
       UNION SELECT tableowner FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(owners).toEqual([{ owner: id.ownerRole }]);
    for (const [sql, refused] of TAMPERING)
      expect({ sql, outcome: await asLoginRole(sql) }).toEqual({
        sql,
        outcome: expect.stringMatching(refused),
      });
    // The service still reads and writes through the login role.
    await w.product();
    const audit = await w.as('admin').get('/api/v1/audit-logs');
    expect(audit.status).toBe(200);
    expect(audit.body.data.length).toBeGreaterThan(0);
  });

  it('after a migration: its new table has DML for the login role, and a restriction it undid is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantry-sec-migration-'));
    const file = join(dir, 'LoosenAudit1895200000000.mjs');
    // A migration (run as the owner role) that adds a table and hands the login role UPDATE and DELETE on
    // the audit log: the runtime restrictions must be written again after it.
    writeFileSync(
      file,
      `export class LoosenAudit1895200000000 {
  name = 'LoosenAudit1895200000000';
  async up(q) {
    await q.query('CREATE TABLE sec_widgets (id serial PRIMARY KEY, label text)');
    await q.query("DO $$ BEGIN EXECUTE format('GRANT UPDATE, DELETE ON audit_logs TO %I', current_database()); END $$");
  }
  async down(q) { await q.query('DROP TABLE sec_widgets'); }
}
`,
    );
    const run = await runCli(['migrate:tenants', '--tenant', w.slug], {
      DATABASE_URL: t.coreUrl,
      TENANTRY_EXTRA_TENANT_MIGRATIONS: file,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 migrated');
    expect(await asLoginRole(`INSERT INTO sec_widgets (label) VALUES ('ok')`)).toBe('ok');
    expect(await asLoginRole('UPDATE sec_widgets SET label = label')).toBe('ok');
    expect(await asLoginRole('UPDATE audit_logs SET action = action')).toMatch(/permission denied/);
    expect(await asLoginRole('DELETE FROM audit_logs')).toMatch(/permission denied/);
    expect(await asLoginRole('SELECT count(*) FROM audit_logs')).toBe('ok');
  });

  it("stores the tenant roles' passwords as SCRAM verifiers of few iterations, and they log in with SCRAM", async () => {
    // The suite's server asks for SCRAM (not trust), so the connections below prove the verifiers work.
    const hba = await queryServer<{ auth_method: string }>(
      t.coreUrl,
      `SELECT auth_method FROM pg_hba_file_rules WHERE 'all' = ANY(user_name) AND type = 'host'`,
    );
    expect(hba.map((r) => r.auth_method)).toContain('scram-sha-256');
    const id = tenantIdentity(tenantId);
    const roles = await queryServer<{ rolname: string; rolpassword: string }>(
      t.coreUrl,
      'SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname',
      [[id.role, id.readerRole]],
    );
    expect(roles.length).toBeGreaterThanOrEqual(1);
    for (const r of roles)
      expect(r.rolpassword.startsWith(`SCRAM-SHA-256$${TENANT_SCRAM_ITERATIONS}:`)).toBe(true);
    const own = new pg.Client({
      connectionString: tenantDatabaseUrl(t.coreUrl, tenantId, t.config.tenants.dbSecret),
    });
    await own.connect();
    expect((await own.query('SELECT current_user AS u')).rows[0].u).toBe(id.role);
    await own.end();
    const wrong = new URL(tenantDatabaseUrl(t.coreUrl, tenantId, t.config.tenants.dbSecret));
    wrong.password = 'f'.repeat(64);
    const refused = new pg.Client({ connectionString: wrong.toString() });
    refused.on('error', () => undefined);
    await expect(refused.connect()).rejects.toThrow(/password authentication failed/);
  });
});
