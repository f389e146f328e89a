import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Organization } from '../core/organizations/organization.entity.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { withDatabase } from '../database/postgres-identifiers.js';
import { seedAdmin } from '../tenant/users/user.seed.js';
import { TenancyErrors } from './tenancy.errors.js';
import { TenancyMetrics } from './tenancy.metrics.js';
import { TenantCatalog } from './tenant-catalog.service.js';
import {
  createTenantDatabase,
  dropTenantDatabase,
  ensureLoginRole,
  handOverTemplateObjects,
} from './tenant-database.admin.js';
import { TenantDataSourceRegistry } from './tenant-datasource.registry.js';
import { tenantIdentity, tenantRolePassword } from './tenant-identity.js';
import { TenantMigrator } from './tenant-migrator.service.js';
import { TenantTemplateService } from './tenant-template.service.js';

export interface OnboardingOwner {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

export type ProvisioningStep = 'claimed' | 'role' | 'database' | 'migrated' | 'seeded';

const PROVISION_LOCK_CLASS = 7_360_243;

/**
 * Onboarding: catalog row `provisioning` → login role → database from the template → migrations → owner
 * seeded as `admin` → `active`. Names derive from the row's id, and every step is idempotent, so retrying
 * the same onboarding after a crash at any step finishes the job; a failure that is not a crash removes what
 * was made and leaves the row `failed`.
 */
@Injectable()
export class TenantProvisioner implements OnModuleDestroy {
  private readonly logger = new Logger(TenantProvisioner.name);
  private pool?: pg.Pool;

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
    private readonly template: TenantTemplateService,
    private readonly migrator: TenantMigrator,
    private readonly catalog: TenantCatalog,
    private readonly registry: TenantDataSourceRegistry,
    private readonly metrics: TenancyMetrics,
  ) {}

  async onboard(owner: OnboardingOwner, name: string, slug: string): Promise<Organization> {
    const stop = this.metrics.onboardingSeconds.startTimer();
    const claimed = await this.claim(owner.id, name, slug);
    this.fault('claimed');
    const runner = this.core.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [PROVISION_LOCK_CLASS, claimed.id]);
      const current = await this.core.getRepository(Organization).findOneByOrFail({ id: claimed.id });
      if (current.status === 'active') return current; // a concurrent retry finished it
      const org = await this.provision(current, owner);
      stop();
      return org;
    } finally {
      await runner
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [PROVISION_LOCK_CLASS, claimed.id])
        .catch(() => undefined);
      await runner.release();
    }
  }

  private async provision(org: Organization, owner: OnboardingOwner): Promise<Organization> {
    const id = tenantIdentity(org.id);
    const repo = this.core.getRepository(Organization);
    try {
      const t0 = Date.now();
      const marks: Record<string, number> = {};
      const mark = (step: string) => (marks[step] = Date.now() - t0);
      const template = await this.template.ensure();
      mark('template');
      const admin = await this.adminPool().connect();
      let created: boolean;
      try {
        await ensureLoginRole(admin, id.role, tenantRolePassword(this.config.tenants.dbSecret, org.id));
        mark('role');
        this.fault('role');
        created = await createTenantDatabase(admin, id, template.name);
      } finally {
        admin.release();
      }
      mark('database');
      this.fault('database');
      const inside = new pg.Client({ connectionString: withDatabase(this.serverUrl, id.dbName) });
      await inside.connect();
      let version: string | null;
      try {
        await handOverTemplateObjects(inside, id);
        // A database copied just now from the current template is at the latest version already; one that
        // existed (a resumed onboarding) is migrated as the tenant's role.
        version = created ? template.version : (await this.migrator.migrate(org)).to;
        mark('migrated');
        this.fault('migrated');
        await seedAdmin(inside, owner);
      } finally {
        await inside.end();
      }
      mark('seeded');
      this.fault('seeded');
      await repo.update({ id: org.id }, { status: 'active', schemaVersion: version, lastError: null });
      await this.catalog.publish(org.slug);
      mark('active');
      this.logger.log({ tenantId: org.id, slug: org.slug, stepsMs: marks }, 'organization onboarded');
      return repo.findOneByOrFail({ id: org.id });
    } catch (err) {
      this.logger.error({ tenantId: org.id, err: (err as Error).message }, 'onboarding failed; cleaning up');
      this.registry.evict(org.id);
      await dropTenantDatabase(this.serverUrl, id).catch((e) =>
        this.logger.error({ err: e.message }, 'cleanup failed'),
      );
      await repo.update(
        { id: org.id },
        { status: 'failed', lastError: String((err as Error).message).slice(0, 500) },
      );
      await this.catalog.publish(org.slug);
      throw TenancyErrors.provisioningFailed();
    }
  }

  /** A small pool on the server's maintenance database, for the DDL of onboarding. */
  private adminPool(): pg.Pool {
    this.pool ??= new pg.Pool({
      connectionString: withDatabase(this.serverUrl, 'postgres'),
      max: 2,
      idleTimeoutMillis: 30_000,
      application_name: 'tenantry-provisioner',
    });
    return this.pool;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }

  /** Inserts the catalog row, or resumes the caller's own unfinished onboarding of the same slug. */
  private async claim(ownerId: string, name: string, slug: string): Promise<Organization> {
    const repo = this.core.getRepository(Organization);
    const id = randomUUID();
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({ id, name, slug, ownerId, status: 'provisioning', dbName: tenantIdentity(id).dbName })
      .orIgnore()
      .returning(['id'])
      .execute();
    if (inserted.raw.length > 0) {
      await this.catalog.publish(slug);
      return repo.findOneByOrFail({ id });
    }
    const existing = await repo.findOneBy({ slug });
    if (
      existing &&
      existing.ownerId === ownerId &&
      (existing.status === 'provisioning' || existing.status === 'failed')
    ) {
      return existing;
    }
    throw TenancyErrors.slugTaken();
  }

  /** Removes a tenant: it stops serving at once, then its database, role and catalog row go. */
  async remove(org: Organization): Promise<void> {
    const repo = this.core.getRepository(Organization);
    await repo.update({ id: org.id }, { status: 'deleting' });
    await this.catalog.publish(org.slug);
    this.registry.evict(org.id);
    await dropTenantDatabase(this.serverUrl, tenantIdentity(org.id));
    await repo.delete({ id: org.id });
    await this.catalog.publish(org.slug);
    this.logger.log({ tenantId: org.id, slug: org.slug }, 'organization deleted');
  }

  /** Deletions interrupted by a crash are finished at the next start. */
  async finishPendingDeletions(): Promise<void> {
    const pending = await this.core.getRepository(Organization).findBy({ status: 'deleting' });
    for (const org of pending)
      await this.remove(org).catch((err) => this.logger.error({ err: err.message }, 'deletion failed'));
  }

  /**
   * Test-only fault injection (honoured only with NODE_ENV=test): `<step>` SIGKILLs the process right after
   * that step, `<step>:error` throws there.
   */
  private fault(step: ProvisioningStep): void {
    const fault = this.config.testHooks.faultAfterStep;
    if (fault === step) process.kill(process.pid, 'SIGKILL');
    if (fault === `${step}:error`) throw new Error(`injected failure after ${step}`);
  }
}
