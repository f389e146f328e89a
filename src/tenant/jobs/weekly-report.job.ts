import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../../jobs/job-registry.js';
import { type CatalogEntry, TenantConnectionManager } from '../../tenancy/index.js';
import { StaffMailer } from './staff-mailer.js';

export interface WeeklyFigures {
  movements: { type: string; movements: number; quantity: number }[];
  lowStock: { sku: string; warehouse: string; quantity: number; reorderLevel: number }[];
  requests: { status: string; count: number }[];
  topMoved: { sku: string; name: string; moved: number }[];
}

const WEEK = `now() - interval '7 days'`;

/** `weekly-report`: the last 7 days of a tenant, mailed to its active admins and managers. */
@Injectable()
export class WeeklyReportJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly tenant: TenantConnectionManager,
    private readonly mailer: StaffMailer,
  ) {}

  onModuleInit(): void {
    this.registry.define('weekly-report', { tenant: (tenant) => this.run(tenant) });
  }

  async run(tenant: CatalogEntry): Promise<{ mails: number }> {
    const figures = await this.figures();
    const mails = await this.mailer.send([
      { subject: `Weekly report: ${tenant.name}`, text: render(tenant.name, figures) },
    ]);
    return { mails };
  }

  figures(): Promise<WeeklyFigures> {
    return this.tenant.run(async (m) => ({
      movements: await m.query(
        `SELECT type, count(*)::int AS movements, sum(quantity)::int AS quantity
           FROM stock_movements WHERE created_at >= ${WEEK} GROUP BY type ORDER BY type`,
      ),
      lowStock: await m.query(
        `SELECT p.sku, w.name AS warehouse, l.quantity, p.reorder_level AS "reorderLevel"
           FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
          WHERE l.quantity <= p.reorder_level AND p.deleted_at IS NULL ORDER BY p.sku, w.name`,
      ),
      requests: await m.query(
        `SELECT status, count(*)::int AS count FROM purchase_requests GROUP BY status ORDER BY status`,
      ),
      topMoved: await m.query(
        `SELECT p.sku, p.name, sum(s.quantity)::int AS moved
           FROM stock_movements s JOIN products p ON p.id = s.product_id
          WHERE s.created_at >= ${WEEK} AND s.type <> 'adjust'
          GROUP BY p.id ORDER BY moved DESC, p.sku LIMIT 5`,
      ),
    }));
  }
}

/** The report as plain text: one section per figure, one line per row. */
export function render(name: string, f: WeeklyFigures): string {
  const section = (title: string, lines: string[]) => [title, ...(lines.length ? lines : ['  (none)'])];
  return [
    `Weekly report for ${name} (last 7 days)`,
    '',
    ...section(
      'Stock movements by type:',
      f.movements.map((r) => `  ${r.type}: ${r.movements} movements, ${r.quantity} units`),
    ),
    '',
    ...section(
      'At or under reorder level:',
      f.lowStock.map((r) => `  ${r.sku} at ${r.warehouse}: ${r.quantity} (reorder level ${r.reorderLevel})`),
    ),
    '',
    ...section(
      'Purchase requests by status:',
      f.requests.map((r) => `  ${r.status}: ${r.count}`),
    ),
    '',
    ...section(
      'Most moved products:',
      f.topMoved.map((r) => `  ${r.sku} ${r.name}: ${r.moved} units`),
    ),
  ].join('\n');
}
