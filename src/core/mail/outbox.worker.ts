import { SchedulerRegistry } from '@nestjs/schedule';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CoalescedTask } from '../../common/async/coalesced-task.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MailTransport } from './mail-transport.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxService } from './outbox.service.js';

const BATCH = 20;
const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Delivers the outbox: claims due rows with `FOR UPDATE SKIP LOCKED` (so several instances share the work),
 * sends each one and either marks it sent or schedules a retry with exponential back-off.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxWorker.name);
  private readonly task = new CoalescedTask(
    () => this.deliverDue(),
    (err) => this.logger.warn({ err: err.message }, 'outbox pass failed'),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transport: MailTransport,
    private readonly scheduler: SchedulerRegistry,
    outbox: OutboxService,
  ) {
    // The CLI (no workers) leaves delivery to the service: it may not even have SMTP configured.
    outbox.onEnqueued(() => {
      if (this.config.runWorkers) void this.drain();
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.runWorkers) return;
    void this.task.every(this.config.mail.pollMs, this.scheduler, 'mail-outbox');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Runs one delivery pass; a call during a pass asks for one more pass right after it. */
  drain(): Promise<void> {
    return this.task.trigger();
  }

  private async deliverDue(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const due = await manager
        .createQueryBuilder(OutboxMessage, 'm')
        .where('m.sent_at IS NULL AND m.next_attempt_at <= now()')
        .orderBy('m.next_attempt_at')
        .limit(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const message of due) {
        try {
          await this.transport.send({ to: message.recipient, subject: message.subject, text: message.body });
          await manager.update(OutboxMessage, message.id, {
            sentAt: new Date(),
            attempts: message.attempts + 1,
            lastError: null,
          });
        } catch (err) {
          const attempts = message.attempts + 1;
          const delay = Math.min(this.config.mail.retryBaseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
          this.logger.warn(
            { outboxId: message.id, attempts, err: (err as Error).message },
            'mail delivery failed, will retry',
          );
          await manager.update(OutboxMessage, message.id, {
            attempts,
            nextAttemptAt: new Date(Date.now() + delay),
            lastError: (err as Error).message.slice(0, 500),
          });
        }
      }
    });
  }
}
