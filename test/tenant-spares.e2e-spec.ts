import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantIdentity } from '../src/tenancy/index.js';
import { expectProblem } from './support/http.js';
import { testServerUrl } from './support/servers.js';
import { onboard, Owner, PASSWORD, queryServer, tenantHeaders, verifiedOwner } from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

interface SpareRow {
  id: string;
  schema_version: string | null;
}

describe('spare databases (TENANT_SPARES)', () => {
  let t: TestApp;
  let owner: Owner;
  const spares = () =>
    queryServer<SpareRow>(
      t.coreUrl,
      `SELECT id, schema_version FROM organizations WHERE status = 'spare' ORDER BY created_at`,
    );
  async function untilSpares(count: number, version?: string): Promise<SpareRow[]> {
    for (let i = 0; i < 200; i++) {
      const rows = (await spares()).filter(
        (r) => r.schema_version !== null && (!version || r.schema_version === version),
      );
      if (rows.length === count) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    const locks = await queryServer(
      testServerUrl(),
      `SELECT l.objid, a.application_name, a.state, left(a.query, 120) AS query FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory'`,
    );
    const activity = await queryServer(
      testServerUrl(),
      `SELECT datname, application_name, state, left(query, 160) AS query FROM pg_stat_activity WHERE state <> 'idle' AND pid <> pg_backend_pid()`,
    );
    throw new Error(
      `spares never reached ${count}: ${JSON.stringify(await spares())}\nlocks: ${JSON.stringify(locks)}\nactive: ${JSON.stringify(activity)}`,
    );
  }

  beforeAll(async () => {
    t = await startTestApp({ TENANT_SPARES: '2' });
    owner = await verifiedOwner(t, 'spare@example.com');
  });
  let next: TestApp | undefined;
  afterAll(async () => {
    await next?.app.close();
    await t?.close();
  });

  it('keeps two databases ready, hands one to an onboarding, and makes another', async () => {
    const ready = await untilSpares(2);
    for (const spare of ready) {
      const dbs = await queryServer(testServerUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [
        tenantIdentity(spare.id).dbName,
      ]);
      expect(dbs).toHaveLength(1);
    }
    const org = await onboard(t, owner, 'from-spare');
    expect(ready.map((s) => s.id)).toContain(org.id);
    // The owner is its admin, with the same password.
    const login = await t.http.post(
      '/api/v1/auth/login',
      { email: owner.email, password: PASSWORD },
      { headers: tenantHeaders('from-spare') },
    );
    expect(login.status).toBe(200);
    const me = await t.http.get('/api/v1/users/me', {
      token: login.body.accessToken,
      headers: tenantHeaders('from-spare'),
    });
    expect(me.body).toMatchObject({ email: owner.email, role: 'admin' });
    // The pool refills, and spares are nobody's organizations.
    const refilled = await untilSpares(2);
    expect(refilled.map((s) => s.id)).not.toContain(org.id);
    const mine = await t.http.get('/api/v1/core/organizations', { token: owner.token });
    expect(mine.body.data.map((o: { slug: string }) => o.slug)).toEqual(['from-spare']);
  });

  it('serves more concurrent onboardings than there are spares', async () => {
    await untilSpares(2);
    const slugs = ['burst-a', 'burst-b', 'burst-c', 'burst-d'];
    const replies = await Promise.all(
      slugs.map((slug) =>
        t.http.post('/api/v1/core/organizations', { name: slug, slug }, { token: owner.token }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(4);
  });

  it('leaves the spare untouched when the slug is taken', async () => {
    const before = (await untilSpares(2)).map((s) => s.id);
    // Another owner: the owner's own retry would answer with its organization (load issue).
    const other = await verifiedOwner(t, 'spare-other@example.com');
    expectProblem(
      await t.http.post(
        '/api/v1/core/organizations',
        { name: 'dup', slug: 'from-spare' },
        { token: other.token },
      ),
      409,
      'SLUG_TAKEN',
    );
    expect((await spares()).map((s) => s.id)).toEqual(before);
  });

  it('replaces spares of an older schema version after a deploy adds a migration', async () => {
    const old = (await untilSpares(2)).map((s) => s.id);
    await t.app.close();
    t.app.close = async () => undefined;
    const dir = mkdtempSync(join(tmpdir(), 'tenantry-spare-migration-'));
    const file = join(dir, 'AddSpareCheck1895300000000.mjs');
    writeFileSync(
      file,
      `export class AddSpareCheck1895300000000 { name = 'AddSpareCheck1895300000000'; async up(q) { await q.query('CREATE TABLE spare_check (id int)'); } async down(q) { await q.query('DROP TABLE spare_check'); } }\n`,
    );
    next = await startTestApp({
      DATABASE_URL: t.coreUrl,
      TENANT_SPARES: '2',
      TENANTRY_EXTRA_TENANT_MIGRATIONS: file,
      LOG_LEVEL: 'warn',
    });
    const fresh = await untilSpares(2, 'AddSpareCheck1895300000000');
    expect(fresh.map((s) => s.id).filter((id) => old.includes(id))).toEqual([]);
    for (const id of old) {
      expect(
        await queryServer(testServerUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [
          tenantIdentity(id).dbName,
        ]),
      ).toHaveLength(0);
    }
    const org = await next.http.post(
      '/api/v1/core/organizations',
      { name: 'after', slug: 'after-deploy' },
      { token: owner.token },
    );
    expect(org.body).toMatchObject({ status: 'active', schemaVersion: 'AddSpareCheck1895300000000' });
  });
});
