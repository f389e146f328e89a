import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import { CoalescedTask } from '../common/async/coalesced-task.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LockClass, withAdvisoryLock } from '../database/advisory-lock.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { Organization } from './organization.entity.js';
import { TenantMigrator } from './tenant-migrator.service.js';
import { TenantProvisioner } from './tenant-provisioner.service.js';

const RECHECK_MS = 30_000;

/**
 * Keeps `TENANT_SPARES` databases provisioned ahead of demand, so that onboarding only claims one and seeds
 * its admin. Spares at an older schema version (a deploy added a migration) or left half-built by a crash
 * are removed and replaced. One instance at a time does this (advisory try-lock); it runs at start, after
 * each claim and every 30 s.
 */
@Injectable()
export class TenantSparePool implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TenantSparePool.name);
  private readonly task = new CoalescedTask(
    () => this.pass(),
    (err) => {
      this.logger.warn({ err: err.message }, 'spare pool pass failed; retrying in 2 s');
      setTimeout(() => void this.replenish(), 2000).unref();
    },
  );

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly provisioner: TenantProvisioner,
    private readonly migrator: TenantMigrator,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.tenants.spares === 0 || !this.config.runWorkers) return;
    this.provisioner.spareClaimed.add(() => void this.replenish());
    void this.task.every(RECHECK_MS);
  }

  /** The first shutdown hook: no new pass, and the running one finishes while the provisioner still can. */
  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; a call during a pass asks for another right after it. */
  replenish(): Promise<void> {
    return this.task.trigger();
  }

  /** On a lock connection of its own: a long pass never holds one of the core pool's connections. */
  private async pass(): Promise<void> {
    const lock = { lockClass: LockClass.spares };
    await withAdvisoryLock(this.coreUrl, lock, () => this.refill(), { tryOnly: true });
  }

  private async refill(): Promise<void> {
    const repo = this.core.getRepository(Organization);
    const latest = this.migrator.latest;
    const stale = await repo.find({
      where: [
        { status: 'spare', schemaVersion: latest === null ? Not(IsNull()) : Not(latest) },
        { status: 'spare', schemaVersion: IsNull() },
      ],
    });
    for (const org of stale) await this.provisioner.remove(org);
    let ready = await repo.countBy({ status: 'spare', schemaVersion: latest ?? IsNull() });
    while (!this.task.isStopped && ready < this.config.tenants.spares) {
      await this.provisioner.createSpare();
      ready++;
    }
  }
}
