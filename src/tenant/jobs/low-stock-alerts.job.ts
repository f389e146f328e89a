import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../../jobs/job-registry.js';
import { JobRunner } from '../../jobs/job-runner.service.js';
import { TenantConnectionManager, TenantScope } from '../../tenancy/index.js';
import { StaffMailer } from './staff-mailer.js';

interface Crossing {
  sku: string;
  name: string;
  warehouse: string;
  quantity: number;
  reorderLevel: number;
}

/**
 * `low-stock-alerts`: a movement that brings a level to or under its product's reorder level flags the
 * level in its own transaction (StockService); after the commit, a job for the tenant mails each flagged
 * crossing once to its admins and managers. The flag is claimed and the mail queued before the claim
 * commits, so a retry never loses an alert (a crash between the two may send one twice). A job lost before
 * it was queued leaves its flags for the tenant's next alert job.
 */
@Injectable()
export class LowStockAlertsJob implements OnModuleInit {
  private readonly logger = new Logger(LowStockAlertsJob.name);

  constructor(
    private readonly registry: JobRegistry,
    private readonly runner: JobRunner,
    private readonly scope: TenantScope,
    private readonly tenant: TenantConnectionManager,
    private readonly mailer: StaffMailer,
  ) {}

  onModuleInit(): void {
    this.registry.define('low-stock-alerts', { tenant: () => this.run() });
  }

  /** Called after a movement that crossed committed: queues the current tenant's alert job. */
  async crossed(): Promise<void> {
    const tenant = this.scope.current();
    if (!tenant) return;
    await this.runner
      .sendForTenant('low-stock-alerts', { tenantId: tenant.id, slug: tenant.slug })
      .catch((err: Error) =>
        this.logger.warn({ tenant: tenant.slug, err: err.message }, 'low-stock alert not queued'),
      );
  }

  async run(): Promise<{ alerts: number }> {
    const recipients = await this.mailer.recipients();
    return this.tenant.transaction(async (m) => {
      const [crossings]: [Crossing[], number] = await m.query(
        `UPDATE stock_levels l SET low_mailed = true
           FROM products p, warehouses w
          WHERE p.id = l.product_id AND w.id = l.warehouse_id AND l.low_alerted AND NOT l.low_mailed
          RETURNING p.sku, p.name, w.name AS warehouse, l.quantity, p.reorder_level AS "reorderLevel"`,
      );
      await this.mailer.send(
        crossings.map((c) => ({
          subject: `Low stock: ${c.sku} at ${c.warehouse}`,
          text: `${c.sku} ${c.name} is at ${c.quantity} in ${c.warehouse}, at or under its reorder level of ${c.reorderLevel}.`,
        })),
        recipients,
      );
      return { alerts: crossings.length };
    });
  }
}
