import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxService } from '../../core/mail/outbox.service.js';
import { TenantConnectionManager } from '../../tenancy/index.js';

export interface StaffMail {
  subject: string;
  text: string;
}

/** Mails to the current tenant's active admins and managers, through the core mail outbox. */
@Injectable()
export class StaffMailer {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly outbox: OutboxService,
    private readonly tenant: TenantConnectionManager,
  ) {}

  async recipients(): Promise<string[]> {
    const rows: { email: string }[] = await this.tenant.run((m) =>
      m.query(`SELECT email FROM users WHERE is_active AND role IN ('admin', 'manager') ORDER BY email`),
    );
    return rows.map((r) => r.email);
  }

  /** Every mail to every recipient, in one core transaction; how many mails were queued. */
  async send(mails: StaffMail[], recipients?: string[]): Promise<number> {
    const to = recipients ?? (await this.recipients());
    if (to.length === 0 || mails.length === 0) return 0;
    await this.core.transaction(async (m) => {
      for (const mail of mails)
        for (const address of to) await this.outbox.enqueue(m, { to: address, ...mail });
    });
    this.outbox.notifyCommitted();
    return to.length * mails.length;
  }
}
