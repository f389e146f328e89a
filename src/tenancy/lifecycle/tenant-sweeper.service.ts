import { SchedulerRegistry } from '@nestjs/schedule';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan, Not } from 'typeorm';
import { CoalescedTask } from '../../common/async/coalesced-task.js';
import { Organization } from '../catalog/organization.entity.js';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { type OnboardingOwner, withTenantLock } from './provisioning-support.js';
import { TenantProvisioner } from './tenant-provisioner.service.js';
import { TenantRemover } from './tenant-remover.service.js';
import { TenantMover } from './tenant-mover.service.js';
import {
  TENANCY_OPTIONS,
  type TenancyOptions,
  TENANCY_SETTINGS,
  type TenancySettings,
} from '../options/tenancy.options.js';

/** A row this fresh may be between its claim and its lock in a live instance: left alone. */
const MIN_AGE_MS = 2_000;

/**
 * Finishes what a crash interrupted, without waiting for anyone to retry: rows left `provisioning` are
 * resumed (finished, or cleaned up and marked `failed` if that fails), rows left `deleting` are removed,
 * copies left `restoring` removed, and moves left `moving` undone.
 * A row whose builder is alive is skipped: its advisory lock is held (a crash releases it). Runs at start
 * and every PROVISIONING_SWEEP_MS, one pass at a time.
 */
@Injectable()
export class TenantSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TenantSweeper.name);
  private readonly task = new CoalescedTask(
    () => this.sweep(),
    (err) => this.logger.warn({ err: err.message }, 'sweep failed; next one retries'),
  );

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    private readonly provisioner: TenantProvisioner,
    private readonly remover: TenantRemover,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly scheduler: SchedulerRegistry,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    private readonly mover: TenantMover,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.runWorkers) return;
    // The CLI may start on a core database that `migrate:core` has yet to create the catalog in.
    if (await this.core.showMigrations()) return;
    // The first pass finishes before the service answers: deletions interrupted by a crash are done.
    await this.task.every(this.settings.sweepMs, this.scheduler, 'tenant-sweep');
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One pass (exposed for the CLI and tests). */
  async sweep(): Promise<void> {
    const repo = this.core.getRepository(Organization);
    for (const org of await repo.findBy({ status: 'deleting' })) {
      if (this.task.isStopped) return;
      await this.remover
        .remove(org)
        .catch((err) => this.logger.error({ err: err.message }, 'deletion failed'));
    }
    for (const org of await repo.findBy({
      status: 'restoring',
      updatedAt: LessThan(new Date(Date.now() - MIN_AGE_MS)),
    })) {
      if (this.task.isStopped) return;
      await this.abandonCopy(org).catch((err) =>
        this.logger.warn({ tenantId: org.id, err: (err as Error).message }, 'sweep could not remove a copy'),
      );
    }
    const settled = LessThan(new Date(Date.now() - MIN_AGE_MS));
    for (const org of await repo.findBy([
      { status: 'moving', updatedAt: settled },
      // An online move's copy still being made (before its freeze): `moving_to` set, whatever the status.
      { movingTo: Not(IsNull()), updatedAt: settled },
    ])) {
      if (this.task.isStopped) return;
      // A move whose process died (its lock is free) is undone: the tenant serves from its source again.
      await this.mover
        .abandon(org)
        .catch((err) =>
          this.logger.warn({ tenantId: org.id, err: (err as Error).message }, 'sweep could not undo a move'),
        );
    }
    const stuck = await repo.findBy({
      status: 'provisioning',
      updatedAt: LessThan(new Date(Date.now() - MIN_AGE_MS)),
    });
    for (const org of stuck) {
      if (this.task.isStopped) return;
      const owner = await this.owner(org.ownerId);
      const done = owner ? this.provisioner.resume(org, owner) : this.remover.remove(org); // its owner is gone: nobody to hand it to
      await done.catch((err) =>
        this.logger.warn(
          { tenantId: org.id, err: (err as Error).message },
          'sweep could not finish a tenant',
        ),
      );
    }
  }

  /**
   * A restore or clone whose process died (its lock is free) is removed; a rerun starts it again. One whose
   * copier is alive holds the lock and is left alone.
   */
  private async abandonCopy(org: Organization): Promise<void> {
    const claimed = await withTenantLock(
      this.coreUrl,
      org.id,
      async () => {
        const [, count]: [unknown, number] = await this.core.query(
          `UPDATE organizations SET status = 'deleting', updated_at = now() WHERE id = $1 AND status = 'restoring'`,
          [org.id],
        );
        return count > 0;
      },
      true,
    );
    if (claimed) await this.remover.remove(org);
  }

  private async owner(ownerId: string | null): Promise<OnboardingOwner | null> {
    return ownerId ? this.options.findOwner(this.core, ownerId) : null;
  }
}
