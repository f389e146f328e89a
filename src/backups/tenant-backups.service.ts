import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LockClass, withAdvisoryLock } from '../database/advisory-lock.js';
import { JobRegistry } from '../jobs/job-registry.js';
import {
  BackupVerifier,
  type CatalogEntry,
  CORE_DATABASE_URL,
  Organization,
  TenantCopier,
} from '../tenancy/index.js';
import { BackupMissingError, BackupStore, removeLocal } from './backup-store.js';
import { TenantBackup } from './tenant-backup.entity.js';
import { PointInTimeArchive } from './pitr/point-in-time-archive.js';

export interface BackupReport {
  id: string;
  slug: string;
  createdAt: string;
  bytes: number;
  schemaVersion: string | null;
  verifiedAt: string | null;
  verifyError: string | null;
}

/**
 * Tenant backups (docs/reference/scale-out.md, "Scheduled, verified backups"): the `backup` job — on BACKUP_CRON for every active tenant,
 * or one tenant on an operator's request — writes an archive under `DATA_DIR/backups/<tenant id>/`
 * (TenantCopier, what `tenants:backup` writes), keeps it (in the S3 store with `S3_URL`: BackupStore), records
 * it in `tenant_backups`, and verifies it at once (BackupVerifier: the kept copy restored into a scratch
 * database, rows and checksums compared). A backup that fails
 * verification stays recorded with its error and does not count as verified; the job fails, so it shows.
 * The job's cluster part removes backups older than BACKUP_RETENTION_DAYS.
 */
@Injectable()
export class TenantBackups implements OnModuleInit {
  private readonly logger = new Logger(TenantBackups.name);

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    private readonly registry: JobRegistry,
    private readonly copier: TenantCopier,
    private readonly verifier: BackupVerifier,
    private readonly pointInTime: PointInTimeArchive,
    private readonly store: BackupStore,
  ) {}

  onModuleInit(): void {
    this.registry.define('backup', {
      // With point in time on, each server's base backup comes first (and its older ones are pruned).
      cluster: async () => ({
        baseBackups: this.pointInTime.enabled ? await this.pointInTime.baseBackupAll() : [],
        removed: await this.prune(),
      }),
      tenant: (tenant) => this.take(tenant),
    });
  }

  /**
   * Backs a tenant up now and verifies the backup; its report (a failed verification throws). One backup per
   * tenant at a time across instances (an advisory lock): a second one meanwhile is skipped.
   */
  async take(tenant: Pick<CatalogEntry, 'id' | 'slug'>): Promise<BackupReport | { skipped: string }> {
    const done = await this.onServerSlot(tenant.id, () =>
      withAdvisoryLock(
        this.coreUrl,
        { lockClass: LockClass.backups, id: tenant.id },
        () => this.takeLocked(tenant),
        { tryOnly: true, applicationName: 'tenantry-backup' },
      ),
    );
    return done ?? { skipped: 'a backup of this tenant is running' };
  }

  /**
   * Runs `fn` in one of the BACKUP_PER_SERVER places of the tenant's server (advisory locks, every instance
   * together), waiting for one to free: a scheduled run over many tenants then goes through each server that
   * many at a time, spread over as long as it takes, instead of saturating it.
   */
  private async onServerSlot<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    const org = await this.core.getRepository(Organization).findOneByOrFail({ id: tenantId });
    const places = this.config.jobs.backupsPerServer;
    for (let round = 0; ; round++) {
      for (let place = 0; place < places; place++) {
        const ran = await withAdvisoryLock(
          this.coreUrl,
          { lockClass: LockClass.backupPlaces, id: `${org.server}:${place}` },
          async () => ({ value: await fn() }),
          { tryOnly: true, applicationName: 'tenantry-backup' },
        );
        if (ran) return ran.value;
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * (round + 1))));
    }
  }

  private async takeLocked(tenant: Pick<CatalogEntry, 'id' | 'slug'>): Promise<BackupReport> {
    const org = await this.core.getRepository(Organization).findOneByOrFail({ id: tenant.id });
    const dir = join(resolve(this.config.dataDir), 'backups', org.id);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.tenantry-backup`);
    let bytes: number;
    let location: string;
    try {
      bytes = await this.copier.backup(org, path, this.bytesPerSecond);
      location = await this.store.keep(path, org.id);
    } catch (err) {
      removeLocal(path);
      throw err;
    }
    const saved = await this.core
      .getRepository(TenantBackup)
      .save({
        tenantId: org.id,
        slug: org.slug,
        path: location,
        bytes: String(bytes),
        schemaVersion: org.schemaVersion,
        verifiedAt: null,
        verifyError: null,
      })
      .catch(async (err: Error) => {
        // Unrecorded, it would be kept for ever: retention only knows recorded backups.
        await this.store.remove(location, org.id).catch(() => undefined);
        throw err;
      });
    return this.verify(saved.id, true);
  }

  /**
   * Restores a recorded backup into a scratch database and checks it; records the result (verified now, or
   * the error, which un-verifies it). `fail`: a failed verification throws after it is recorded.
   */
  async verify(id: string, fail = false): Promise<BackupReport> {
    const repo = this.core.getRepository(TenantBackup);
    const backup = await repo.findOneByOrFail({ id });
    // Only what the verifier finds (or a store without the object) is recorded: a store that cannot be read
    // now (S3_URL unset, an outage) fails the call and leaves the backup as it was.
    const outcome = await this.store
      .withLocal(backup.path, backup.tenantId, (archive) =>
        this.verifier.verify(archive, this.bytesPerSecond).then(
          (figures) => ({ figures }),
          (err: Error) => ({ err }),
        ),
      )
      .catch((err: Error) => {
        if (err instanceof BackupMissingError) return { err };
        throw err;
      });
    if ('figures' in outcome) {
      const { tables, rows, ms } = outcome.figures;
      await repo.update({ id }, { verifiedAt: new Date(), verifyError: null });
      this.logger.log({ backup: id, tenant: backup.slug, tables, rows, ms }, 'backup verified');
    } else {
      const message = outcome.err.message.slice(0, 1000);
      await repo.update({ id }, { verifiedAt: null, verifyError: message });
      this.logger.error({ backup: id, tenant: backup.slug, err: message }, 'backup failed verification');
      if (fail) throw new Error(`backup ${id} of ${backup.slug} failed verification: ${message}`);
    }
    return toReport(await repo.findOneByOrFail({ id }));
  }

  private get bytesPerSecond(): number {
    return this.config.jobs.backupMbPerSecond * 1_000_000;
  }

  /** Runs `fn` with a recorded backup of `tenantId` on local disk (fetched when it is kept in S3). */
  withArchive<T>(location: string, tenantId: string, fn: (archive: string) => Promise<T>): Promise<T> {
    return this.store.withLocal(location, tenantId, fn);
  }

  /** A tenant's backups, newest first. */
  async list(tenantId: string): Promise<BackupReport[]> {
    const rows = await this.core
      .getRepository(TenantBackup)
      .find({ where: { tenantId }, order: { createdAt: 'DESC' } });
    return rows.map(toReport);
  }

  /**
   * Removes the backups (rows and files) older than the retention, but never a tenant's newest verified one
   * (a run of failed verifications longer than the retention must not leave a tenant with none); how many.
   */
  async prune(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.jobs.backupRetentionDays * 86_400_000);
    const old: { id: string; path: string; tenant_id: string }[] = await this.core.query(
      `SELECT id, path, tenant_id FROM tenant_backups b WHERE created_at < $1
          AND id IS DISTINCT FROM (SELECT k.id FROM tenant_backups k WHERE k.tenant_id = b.tenant_id
                                     AND k.verified_at IS NOT NULL ORDER BY k.created_at DESC LIMIT 1)`,
      [before],
    );
    let removed = 0;
    for (const backup of old) {
      // One that cannot be removed now (its store unreachable) keeps its row, for the next run.
      const gone = await this.store.remove(backup.path, backup.tenant_id).then(
        () => true,
        (err: Error) => this.logger.error({ backup: backup.id, err: err.message }, 'backup not removed'),
      );
      if (!gone) continue;
      await this.core.getRepository(TenantBackup).delete({ id: backup.id });
      removed++;
    }
    await this.store.sweepScratch();
    return removed;
  }
}

function toReport(b: TenantBackup): BackupReport {
  return {
    id: b.id,
    slug: b.slug,
    createdAt: b.createdAt.toISOString(),
    bytes: Number(b.bytes),
    schemaVersion: b.schemaVersion,
    verifiedAt: b.verifiedAt?.toISOString() ?? null,
    verifyError: b.verifyError,
  };
}
