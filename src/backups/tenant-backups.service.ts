import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobRegistry } from '../jobs/job-registry.js';
import { type CatalogEntry, Organization, TenantCopier } from '../tenancy/index.js';
import { TenantBackup } from './tenant-backup.entity.js';

export interface BackupReport {
  id: string;
  slug: string;
  createdAt: string;
  bytes: number;
  schemaVersion: string | null;
  verifiedAt: string | null;
}

/**
 * Backups of tenants as the `backup` job's tenant part (an operator's action, `jobs:run backup`): each is an
 * archive under `DATA_DIR/backups/<tenant id>/` written by TenantCopier (what `tenants:backup` writes) and a
 * row of `tenant_backups`; a failed backup leaves neither.
 */
@Injectable()
export class TenantBackups implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    private readonly copier: TenantCopier,
  ) {}

  onModuleInit(): void {
    this.registry.define('backup', { tenant: (tenant) => this.take(tenant) });
  }

  /** Backs a tenant up now; the backup's report. */
  async take(tenant: Pick<CatalogEntry, 'id' | 'slug'>): Promise<BackupReport> {
    const org = await this.core.getRepository(Organization).findOneByOrFail({ id: tenant.id });
    const dir = join(this.config.dataDir, 'backups', org.id);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.tenantry-backup`);
    let bytes: number;
    try {
      bytes = await this.copier.backup(org, path);
    } catch (err) {
      rmSync(path, { force: true });
      rmSync(`${path}.files`, { recursive: true, force: true });
      throw err;
    }
    const saved = await this.core.getRepository(TenantBackup).save({
      tenantId: org.id,
      slug: org.slug,
      path,
      bytes: String(bytes),
      schemaVersion: org.schemaVersion,
      verifiedAt: null,
    });
    return toReport(saved);
  }

  /** A tenant's backups, newest first. */
  async list(tenantId: string): Promise<BackupReport[]> {
    const rows = await this.core
      .getRepository(TenantBackup)
      .find({ where: { tenantId }, order: { createdAt: 'DESC' } });
    return rows.map(toReport);
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
  };
}
