import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
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
import { TenantConnectionRegistry } from './connections/tenant-connection.registry.js';
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
/** Spares carry a slug no client can send (`_` is outside the slug pattern). */
export const SPARE_SLUG_PREFIX = '_spare_';

/**
 * Onboarding: catalog row `provisioning` → login role → database from the template → migrations → owner
 * seeded as `admin` → `active`. Names derive from the row's id, and every step is idempotent, so retrying
 * the same onboarding after a crash at any step finishes the job; a failure that is not a crash removes what
 * was made and leaves the row `failed`.
 */
@Injectable()
export class TenantProvisioner implements OnApplicationShutdown {
  private readonly logger = new Logger(TenantProvisioner.name);
  private pool?: pg.Pool;

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
    private readonly template: TenantTemplateService,
    private readonly migrator: TenantMigrator,
    private readonly catalog: TenantCatalog,
    private readonly registry: TenantConnectionRegistry,
    private readonly metrics: TenancyMetrics,
  ) {}

  async onboard(owner: OnboardingOwner, name: string, slug: string): Promise<Organization> {
    const stop = this.metrics.onboardingSeconds.startTimer();
    const spare = await this.claimSpare(owner.id, name, slug);
    if (spare) {
      const org = await this.activateSpare(spare, owner).catch((err: Error) => {
        this.logger.warn(
          { tenantId: spare.id, err: err.message },
          'spare activation failed; provisioning it in full',
        );
        return null;
      });
      for (const listener of this.spareClaimed) listener();
      if (org) {
        stop();
        return org;
      }
    }
    const claimed = spare ?? (await this.claim(owner.id, name, slug));
    this.fault('claimed');
    return this.withTenantLock(claimed.id, async () => {
      const current = await this.core.getRepository(Organization).findOneByOrFail({ id: claimed.id });
      if (current.status === 'active') return current; // a concurrent retry finished it
      const org = await this.provision(current, owner);
      stop();
      return org;
    });
  }

  /**
   * Serialises everything that builds or removes one tenant (onboarding, its retries, deletion), across
   * instances: a session advisory lock keyed by the tenant id.
   */
  private async withTenantLock<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    const runner = this.core.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [PROVISION_LOCK_CLASS, tenantId]);
      return await fn();
    } finally {
      await runner
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [PROVISION_LOCK_CLASS, tenantId])
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
      const created = await this.buildDatabase(org.id, template.name, mark);
      let version: string | null = template.version;
      await this.insideDatabase(org.id, async (inside) => {
        await handOverTemplateObjects(inside, id);
        // A database copied just now from the current template is at the latest version already; one that
        // existed (a resumed onboarding) is migrated as the tenant's role.
        if (!created) version = (await this.migrator.migrate(org)).to;
        mark('migrated');
        this.fault('migrated');
        await seedAdmin(inside, owner);
      });
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

  /** Login role and database (from the template); true when the database was created now. */
  private async buildDatabase(
    tenantId: string,
    template: string,
    mark: (step: string) => void,
  ): Promise<boolean> {
    const id = tenantIdentity(tenantId);
    const admin = await this.adminPool().connect();
    let created: boolean;
    try {
      await ensureLoginRole(admin, id.role, tenantRolePassword(this.config.tenants.dbSecret, tenantId));
      mark('role');
      this.fault('role');
      created = await createTenantDatabase(admin, id, template);
    } finally {
      admin.release();
    }
    mark('database');
    this.fault('database');
    return created;
  }

  /** Runs `fn` on an admin connection inside the tenant's database. */
  private async insideDatabase(tenantId: string, fn: (inside: pg.Client) => Promise<void>): Promise<void> {
    const inside = new pg.Client({
      connectionString: withDatabase(this.serverUrl, tenantIdentity(tenantId).dbName),
    });
    inside.on('error', (err) =>
      this.logger.warn({ tenantId, err: err.message }, 'tenant admin connection lost'),
    );
    await inside.connect();
    try {
      await fn(inside);
    } finally {
      await inside.end();
    }
  }

  /** Called whenever onboarding took a spare, so the pool can make another one. */
  readonly spareClaimed = new Set<() => void>();

  /**
   * Builds one spare: a catalog row without owner, its role and database from the current template, handed
   * over and at the template's version. A failure removes what it made.
   */
  async createSpare(): Promise<void> {
    const tenantId = randomUUID();
    const id = tenantIdentity(tenantId);
    const repo = this.core.getRepository(Organization);
    const template = await this.template.ensure();
    await repo.insert({
      id: tenantId,
      name: 'spare',
      slug: `${SPARE_SLUG_PREFIX}${tenantId.replace(/-/g, '')}`,
      ownerId: null as never,
      status: 'spare',
      dbName: id.dbName,
    });
    try {
      await this.buildDatabase(tenantId, template.name, () => undefined);
      await this.insideDatabase(tenantId, (inside) => handOverTemplateObjects(inside, id));
      await repo.update({ id: tenantId }, { schemaVersion: template.version });
    } catch (err) {
      await dropTenantDatabase(this.serverUrl, id).catch(() => undefined);
      await repo.delete({ id: tenantId });
      throw err;
    }
  }

  /**
   * Takes a spare at the current version for this onboarding, in one statement (SKIP LOCKED: concurrent
   * onboardings take different spares). Null when there is none, or when the slug is taken (claim() then
   * decides between resuming the caller's own onboarding and 409).
   */
  private async claimSpare(ownerId: string, name: string, slug: string): Promise<Organization | null> {
    if (this.config.tenants.spares === 0) return null;
    try {
      const [rows] = await this.core.query(
        `UPDATE organizations SET slug = $1, name = $2, owner_id = $3, status = 'provisioning', updated_at = now()
          WHERE id = (SELECT id FROM organizations WHERE status = 'spare' AND schema_version IS NOT DISTINCT FROM $4
                       ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [slug, name, ownerId, this.migrator.latest],
      );
      if (rows.length === 0) return null;
      return this.core.getRepository(Organization).findOneByOrFail({ id: rows[0].id });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') return null;
      throw err;
    }
  }

  /** A claimed spare only needs its first admin: seeded, active, published. */
  private async activateSpare(org: Organization, owner: OnboardingOwner): Promise<Organization> {
    await this.insideDatabase(org.id, (inside) => seedAdmin(inside, owner));
    this.fault('seeded');
    const repo = this.core.getRepository(Organization);
    await repo.update({ id: org.id }, { status: 'active', lastError: null });
    await this.catalog.publish(org.slug);
    this.logger.log({ tenantId: org.id, slug: org.slug, spare: true }, 'organization onboarded');
    return repo.findOneByOrFail({ id: org.id });
  }

  /** A small pool on the server's maintenance database, for the DDL of onboarding. */
  private adminPool(): pg.Pool {
    this.pool ??= new pg.Pool({
      connectionString: withDatabase(this.serverUrl, 'postgres'),
      max: 2,
      idleTimeoutMillis: 30_000,
      application_name: 'tenantry-provisioner',
    });
    // An idle connection ended by the server (restart, pg_terminate_backend) must not crash the process.
    this.pool.on('error', (err) => this.logger.warn({ err: err.message }, 'admin connection lost'));
    return this.pool;
  }

  /** The last shutdown hook: the spare pool (stopped in onModuleDestroy) no longer uses the pool. */
  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
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
    await this.withTenantLock(org.id, async () => {
      // Another remover (a start-up sweep, another instance) may have finished it meanwhile.
      if (!(await repo.existsBy({ id: org.id }))) return;
      await dropTenantDatabase(this.serverUrl, tenantIdentity(org.id));
      await repo.delete({ id: org.id });
    });
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
