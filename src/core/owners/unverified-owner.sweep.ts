import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CoalescedTask } from '../../common/async/coalesced-task.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

/** How long an address may stay registered without being verified. */
export const UNVERIFIED_OWNER_DAYS = 7;
const EVERY_MS = 3600_000;

/**
 * Removes owners still unverified after 7 days, so that registering someone else's address does not squat it
 * for ever: the real owner can register it again. An unverified owner cannot onboard, so nothing else goes
 * with it (email and refresh tokens cascade).
 */
@Injectable()
export class UnverifiedOwnerSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(UnverifiedOwnerSweep.name);
  private readonly task = new CoalescedTask(
    () => this.sweep().then(() => undefined),
    (err) => this.logger.warn({ err: err.message }, 'unverified-owner sweep failed; next one retries'),
  );

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.runWorkers) void this.task.every(EVERY_MS, this.scheduler, 'unverified-owners');
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; returns how many owners were removed. */
  async sweep(): Promise<number> {
    const [, removed] = (await this.core.query(
      `DELETE FROM owners o
        WHERE o.email_verified_at IS NULL AND o.created_at < now() - make_interval(days => $1)
          AND NOT EXISTS (SELECT 1 FROM organizations g WHERE g.owner_id = o.id)`,
      [UNVERIFIED_OWNER_DAYS],
    )) as [unknown, number];
    if (removed > 0) this.logger.log({ removed }, 'unverified owners removed');
    return removed;
  }
}
