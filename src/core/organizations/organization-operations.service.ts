import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ExportLinks } from '../../common/crypto/export-links.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  effectiveSettings,
  mergeSettings,
  type OrganizationSettings,
  type StoredSettings,
} from '../../common/settings/organization-settings.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { tenantQueue } from '../../jobs/job-definitions.js';
import { LockClass, withAdvisoryLock } from '../../database/advisory-lock.js';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { JobRegistry } from '../../jobs/job-registry.js';
import { JobRunner } from '../../jobs/job-runner.service.js';
import { JobStatus } from '../../jobs/job-status.service.js';
import {
  TenantConnectionRegistry,
  Organization,
  TenantCatalog,
  type MaintenanceOperation,
  TenantMaintenance,
} from '../../tenancy/index.js';
import { OrganizationErrors } from './organization.errors.js';
import { OrganizationService } from './organization.service.js';
import type {
  ExportStatusDto,
  MaintenanceStatusDto,
  SettingsPatchDto,
  UsageDto,
} from './organization-settings.dto.js';

const STATUS: Record<string, MaintenanceStatusDto['status']> = {
  created: 'queued',
  retry: 'queued',
  active: 'running',
  completed: 'done',
  failed: 'failed',
  cancelled: 'failed',
};

/** An owner's settings, usage and maintenance of one organization (contract, "Tenant settings"). */
@Injectable()
export class OrganizationOperations implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly core: DataSource,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    private readonly organizations: OrganizationService,
    private readonly catalog: TenantCatalog,
    private readonly connections: TenantConnectionRegistry,
    private readonly maintenance: TenantMaintenance,
    private readonly jobs: JobRunner,
    private readonly status: JobStatus,
    private readonly registry: JobRegistry,
    private readonly links: ExportLinks,
  ) {}

  onModuleInit(): void {
    // One owner-started maintenance at a time per database server, whichever instance runs it: VACUUM and
    // REINDEX of many tenants at once would saturate the server every tenant on it shares.
    this.registry.define('maintenance', {
      tenant: async (tenant, data) =>
        (await withAdvisoryLock(
          this.coreUrl,
          { lockClass: LockClass.serverMaintenance, id: tenant.server },
          () => this.maintenance.maintain(tenant, data.operations as MaintenanceOperation[]),
          { applicationName: 'tenantry-maintenance' },
        ))!,
    });
  }

  async settings(ownerId: string, slug: string): Promise<OrganizationSettings> {
    const org = await this.organizations.owned(ownerId, slug);
    return effectiveSettings(org.settings, this.config.tenantDefaults);
  }

  /** Merged under a row lock; the catalog trigger tells every instance (in force within a second). */
  async patchSettings(ownerId: string, slug: string, patch: SettingsPatchDto): Promise<OrganizationSettings> {
    const { id } = await this.organizations.owned(ownerId, slug);
    const stored = await this.core.transaction(async (m) => {
      const org = await m
        .getRepository(Organization)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw OrganizationErrors.notFound();
      const next = mergeSettings(org.settings as StoredSettings, patch as StoredSettings);
      await m.query('UPDATE organizations SET settings = $2 WHERE id = $1', [id, JSON.stringify(next)]);
      return next;
    });
    this.catalog.changed(slug);
    return effectiveSettings(stored, this.config.tenantDefaults);
  }

  async usage(ownerId: string, slug: string): Promise<UsageDto> {
    const org = await this.organizations.owned(ownerId, slug);
    if (org.status !== 'active' && org.status !== 'suspended') throw OrganizationErrors.notFound();
    const [counts] = await this.connections.query<{
      users: number;
      products: number;
      items: number;
      stored: string;
      last: Date | null;
    }>(
      org,
      `SELECT (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM products WHERE deleted_at IS NULL) AS products,
              (SELECT count(*)::int FROM items WHERE deleted_at IS NULL) AS items,
              (SELECT coalesce(sum(size), 0)::text FROM files) AS stored,
              (SELECT max(created_at) FROM audit_logs) AS last`,
      [],
    );
    const [{ bytes }]: { bytes: string }[] = await this.core.query(
      'SELECT pg_database_size($1)::text AS bytes',
      [org.dbName],
    );
    return {
      users: counts.users,
      products: counts.products,
      items: counts.items,
      storageBytes: Number(counts.stored),
      databaseBytes: Number(bytes),
      lastActivityAt: counts.last ? new Date(counts.last).toISOString() : null,
    };
  }

  async startMaintenance(ownerId: string, slug: string, operations: MaintenanceOperation[]): Promise<string> {
    const org = await this.organizations.owned(ownerId, slug);
    if (org.status !== 'active') throw OrganizationErrors.notFound();
    return this.jobs.sendForTenantOnce('maintenance', { tenantId: org.id, slug: org.slug, operations });
  }

  async maintenanceStatus(ownerId: string, slug: string, jobId: string): Promise<MaintenanceStatusDto> {
    const { job } = await this.ownJob(ownerId, slug, 'maintenance', jobId);
    const error =
      job.state === 'failed' || job.state === 'cancelled' ? String(job.output?.message ?? 'failed') : null;
    return {
      jobId: job.id,
      status: STATUS[job.state] ?? 'queued',
      startedAt: job.startedOn ? new Date(job.startedOn).toISOString() : null,
      finishedAt: job.completedOn ? new Date(job.completedOn).toISOString() : null,
      error,
    };
  }

  /** Data portability: the `export` job builds the archive (TenantExport); 202 with its id. */
  async startExport(ownerId: string, slug: string): Promise<string> {
    const org = await this.organizations.owned(ownerId, slug);
    if (org.status !== 'active') throw OrganizationErrors.notFound();
    return this.jobs.sendForTenantOnce('export', {
      tenantId: org.id,
      slug: org.slug,
      exportId: randomUUID(),
    });
  }

  /** Its state; once done, a fresh short-lived link to the archive that needs no token. */
  async exportStatus(ownerId: string, slug: string, jobId: string): Promise<ExportStatusDto> {
    const { job, org } = await this.ownJob(ownerId, slug, 'export', jobId);
    const status = STATUS[job.state] ?? 'queued';
    if (status !== 'done') return { jobId: job.id, status };
    const { url, expiresAt } = this.links.link(org.id, String(job.data.exportId));
    return { jobId: job.id, status, url, expiresAt: expiresAt.toISOString() };
  }

  private async ownJob(ownerId: string, slug: string, name: 'maintenance' | 'export', jobId: string) {
    const org = await this.organizations.owned(ownerId, slug);
    const job = await this.status.find(tenantQueue(name), jobId);
    if (!job || job.data.tenantId !== org.id) throw OrganizationErrors.jobNotFound();
    return { job, org };
  }
}
