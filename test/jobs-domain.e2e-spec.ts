import { freePort } from '../src/common/net/free-port.js';
import { runCli } from './support/cli.js';
import { TenantWorld } from './support/domain.js';
import { SmtpSink } from './support/smtp-sink.js';
import { queryServer, tenantDatabaseAdminUrl } from './support/tenants.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Issue 11, acceptance 2 and 3: what draft-cleanup, weekly-report and low-stock-alerts do to a tenant. */
describe('jobs: what they do', () => {
  let t: TestApp;
  let w: TenantWorld;
  let smtp: SmtpSink;
  let tenantDb: string;
  const cli = (args: string[]) => runCli(args, { DATABASE_URL: t.coreUrl });
  const recipients = () => [w.owner.email, `manager@${w.slug}.example.com`];
  const mailsTo = (subject: RegExp) => smtp.mails.filter((m) => subject.test(m.subject));

  beforeAll(async () => {
    smtp = new SmtpSink(await freePort());
    await smtp.start();
    t = await startTestApp({ SMTP_URL: smtp.url, MAIL_POLL_MS: '200' });
    w = await TenantWorld.create(t, 'jobs-co');
    tenantDb = await tenantDatabaseAdminUrl(t.coreUrl, w.slug);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('draft-cleanup removes exactly the drafts untouched for 30 days, each audited as the system', async () => {
    const stale = [await w.purchaseRequest('draft'), await w.purchaseRequest('draft')];
    const fresh = await w.purchaseRequest('draft');
    const oldSubmitted = await w.purchaseRequest('submitted');
    const borderline = await w.purchaseRequest('draft');
    await queryServer(
      tenantDb,
      `UPDATE purchase_requests SET updated_at = now() - interval '31 days' WHERE id = ANY($1)`,
      [[...stale.map((p) => p.id), oldSubmitted.id]],
    );
    await queryServer(
      tenantDb,
      `UPDATE purchase_requests SET updated_at = now() - interval '29 days' WHERE id = $1`,
      [borderline.id],
    );

    const run = await cli(['jobs:run', 'draft-cleanup', '--tenant', w.slug]);
    expect(run.stdout).toContain('1 completed, 0 failed');
    expect(run.code).toBe(0);

    const left = await queryServer<{ id: string }>(tenantDb, 'SELECT id FROM purchase_requests');
    const ids = left.map((r) => r.id);
    for (const gone of stale) expect(ids).not.toContain(gone.id);
    for (const kept of [fresh, oldSubmitted, borderline]) expect(ids).toContain(kept.id);
    const audited = await queryServer<{ entity_id: string; actor_id: string | null }>(
      tenantDb,
      `SELECT entity_id, actor_id FROM audit_logs WHERE action = 'delete' AND entity = 'purchase_request'`,
    );
    expect(audited.map((a) => a.entity_id).sort()).toEqual(stale.map((p) => p.id).sort());
    expect(audited.every((a) => a.actor_id === null)).toBe(true);
  });

  it('weekly-report mails each admin and manager the week’s figures', async () => {
    const warehouse = await w.warehouse();
    const hot = await w.product({ reorderLevel: 50 });
    const cold = await w.product({ reorderLevel: 0 });
    await w.stockIn(hot.id, warehouse.id, 40); // 40 ≤ 50: low
    await w.stockIn(cold.id, warehouse.id, 7);
    const out = await w.as('admin').post('/api/v1/stock-movements', {
      productId: hot.id,
      warehouseId: warehouse.id,
      type: 'out',
      quantity: 5,
    });
    expect(out.status).toBe(201);
    // A movement of last month is not in this week's figures.
    await queryServer(
      tenantDb,
      `UPDATE stock_movements SET created_at = now() - interval '20 days' WHERE product_id = $1`,
      [cold.id],
    );
    const before = mailsTo(/^Weekly report/).length;

    const run = await cli(['jobs:run', 'weekly-report', '--tenant', w.slug]);
    expect(run.code).toBe(0);
    for (const to of recipients()) {
      const mail = await smtp.waitFor(to, /^Weekly report: /);
      expect(mail.text).toContain('in: 1 movements, 40 units');
      expect(mail.text).toContain('out: 1 movements, 5 units');
      expect(mail.text).toContain(`${hot.sku} at ${warehouse.name}: 35 (reorder level 50)`);
      expect(mail.text).toMatch(/draft: \d+/);
      expect(mail.text).toContain(`${hot.sku} ${hot.name}: 45 units`);
      expect(mail.text).not.toContain(cold.sku);
    }
    expect(mailsTo(/^Weekly report/).length - before).toBe(recipients().length); // not staff, not auditors
  });

  it('low-stock-alerts mails once per crossing, not again until the level rose above it', async () => {
    const warehouse = await w.warehouse();
    const product = await w.product({ reorderLevel: 5 });
    const move = async (type: 'in' | 'out', quantity: number) =>
      expect(
        (
          await w.as('admin').post('/api/v1/stock-movements', {
            productId: product.id,
            warehouseId: warehouse.id,
            type,
            quantity,
          })
        ).status,
      ).toBe(201);
    const alerts = () => mailsTo(new RegExp(`^Low stock: ${product.sku}`));

    await move('in', 10);
    await move('out', 6); // 10 → 4: crossed
    for (const to of recipients()) await smtp.waitFor(to, new RegExp(`^Low stock: ${product.sku}`));
    await move('out', 1); // 4 → 3: still under, no new crossing
    await new Promise((r) => setTimeout(r, 4000));
    expect(alerts()).toHaveLength(recipients().length);

    await move('in', 10); // 3 → 13: above again
    await move('out', 9); // 13 → 4: a second crossing
    const deadline = Date.now() + 15_000;
    while (alerts().length < 2 * recipients().length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(alerts()).toHaveLength(2 * recipients().length);
    expect(alerts()[0].text).toContain('is at 4');
  });

  it('jobs:list shows every job with its schedule, last run, result and next run', async () => {
    const list = await cli(['jobs:list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /draft-cleanup\s+0 2 \* \* \* \(UTC\)\s+\S+Z\s+completed; tenants: 1 completed\s+\S+T02:00:00Z/,
    );
    expect(list.stdout).toMatch(/weekly-report\s+0 0 \* \* 0 \(UTC\)/);
    expect(list.stdout).toMatch(/token-cleanup\s+30 3 \* \* \* \(UTC\)\s+-\s+never run/);
    expect(list.stdout).toMatch(/low-stock-alerts\s+on each crossing\s+\S+Z\s+completed/);
  });
});
