import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AdmissionQueue, AdmissionQueueFullError } from '../../common/async/admission-queue.js';
import { Organization } from '../catalog/organization.entity.js';
import { hasSqlState, SqlState } from '../../common/errors/postgres-errors.js';
import { LockClass, lockForTransaction } from '../../database/advisory-lock.js';
import { injectFault, type OnboardingOwner, withTenantLock } from './provisioning-support.js';
import { TenantSparePool } from './tenant-spare-pool.service.js';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';
import { TenancyErrors } from '../options/tenancy.errors.js';
import { TenancyMetrics } from '../options/tenancy.metrics.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { tenantIdentity } from '../catalog/tenant-identity.js';
import { TenantMigrator } from '../migrations/tenant-migrator.service.js';
import { takeOverTemplateCopy } from '../databases/tenant-roles.js';
import { TenantTemplateService } from './tenant-template.service.js';
import {
  TENANCY_OPTIONS,
  type TenancyOptions,
  TENANCY_SETTINGS,
  type TenancySettings,
} from '../options/tenancy.options.js';
import { DatabaseServers } from '../servers/database-servers.service.js';

export type { OnboardingOwner } from './provisioning-support.js';

interface Claim {
  org: Organization;
  /** A spare database taken over: only its first admin is missing. */
  spare: boolean;
}

/**
 * Onboarding: catalog row `provisioning`, placed on the active server with the most headroom → login role → database from the template → migrations → owner
 * seeded as `admin` → `active`. Names derive from the row's id, and every step is idempotent, so retrying
 * the same onboarding after a crash at any step finishes the job (as does the sweep, tenant-sweeper.ts);
 * a failure that is not a crash removes what was made and leaves the row `failed`. At most
 * PROVISIONING_CONCURRENCY run at once, PROVISIONING_QUEUE more wait; beyond that: 503 + Retry-After.
 */
@Injectable()
export class TenantProvisioner {
  private readonly logger = new Logger(TenantProvisioner.name);
  private readonly admission: AdmissionQueue;

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    private readonly template: TenantTemplateService,
    private readonly migrator: TenantMigrator,
    private readonly catalog: TenantCatalog,
    private readonly connections: TenantConnectionRegistry,
    private readonly builder: TenantDatabaseBuilder,
    private readonly spares: TenantSparePool,
    private readonly metrics: TenancyMetrics,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly servers: DatabaseServers,
  ) {
    this.admission = new AdmissionQueue(settings.provisioningConcurrency, settings.provisioningQueue);
  }

  async onboard(owner: OnboardingOwner, name: string, slug: string): Promise<Organization> {
    // An owner's retry of an onboarding that already finished answers with that organization.
    const existing = await this.repo().findOneBy({ slug });
    if (existing?.ownerId === owner.id && existing.status === 'active') return existing;
    try {
      return await this.admission.run(() => this.onboardNow(owner, name, slug));
    } catch (err) {
      if (!(err instanceof AdmissionQueueFullError)) throw err;
      this.metrics.onboardingRejected.inc();
      throw TenancyErrors.provisioningBusy();
    }
  }

  /** Finishes an onboarding nobody is working on (a crash left it `provisioning`); see TenantSweeper. */
  async resume(org: Organization, owner: OnboardingOwner): Promise<void> {
    await withTenantLock(
      this.coreUrl,
      org.id,
      async () => {
        const current = await this.repo().findOneBy({ id: org.id });
        if (current?.status === 'provisioning') await this.provision(current, owner);
      },
      true,
    );
  }

  private async onboardNow(owner: OnboardingOwner, name: string, slug: string): Promise<Organization> {
    const stop = this.metrics.onboardingSeconds.startTimer();
    const { org: claimed, spare } = await this.claim(owner.id, name, slug);
    if (spare) {
      const org = await this.spares.activate(claimed, owner).catch((err: Error) => {
        this.logger.warn(
          { tenantId: claimed.id, err: err.message },
          'spare activation failed; provisioning it in full',
        );
        return null;
      });
      if (org) {
        stop();
        return org;
      }
    }
    if (claimed.status === 'active') return claimed;
    injectFault(this.settings, 'claimed');
    const org = await withTenantLock(this.coreUrl, claimed.id, async () => {
      const current = await this.repo().findOneBy({ id: claimed.id });
      if (!current) throw TenancyErrors.provisioningFailed(); // removed by a sweep meanwhile
      if (current.status === 'active') return current; // a concurrent retry finished it
      return this.provision(current, owner);
    });
    stop();
    return org!;
  }

  private async provision(org: Organization, owner: OnboardingOwner): Promise<Organization> {
    const id = tenantIdentity(org.id);
    let version: string | null;
    try {
      const t0 = Date.now();
      const marks: Record<string, number> = {};
      const mark = (step: string) => (marks[step] = Date.now() - t0);
      const template = await this.template.ensure(org.server);
      mark('template');
      const created = await this.builder.build(org, template.name, () => {
        mark('role');
        injectFault(this.settings, 'role');
      });
      mark('database');
      injectFault(this.settings, 'database');
      version = template.version;
      await this.builder.inside(org, async (inside) => {
        await takeOverTemplateCopy(inside, id, this.options.appendOnlyTables);
        // A database copied just now from the current template is at the latest version already; one that
        // existed (a resumed onboarding) is migrated as the tenant's owner role.
        if (!created) version = (await this.migrator.migrateOn(inside, org)).to;
        mark('migrated');
        injectFault(this.settings, 'migrated');
        await this.options.seedFirstAdmin(inside, owner);
      });
      mark('seeded');
      injectFault(this.settings, 'seeded');
      await this.repo().update({ id: org.id }, { status: 'active', schemaVersion: version, lastError: null });
      this.logger.log({ tenantId: org.id, slug: org.slug, stepsMs: marks }, 'organization onboarded');
    } catch (err) {
      await this.cleanUp(org, err as Error);
      throw TenancyErrors.provisioningFailed();
    }
    // Active from here on: nothing below may undo it.
    this.catalog.changed(org.slug);
    return Object.assign(org, { status: 'active' as const, schemaVersion: version, lastError: null });
  }

  /** Drops what a failed onboarding made and marks it `failed`; if that fails too, the sweep retries. */
  private async cleanUp(org: Organization, err: Error): Promise<void> {
    this.logger.error({ tenantId: org.id, err: err.message }, 'onboarding failed; cleaning up');
    try {
      this.connections.evict(org.id);
      await this.builder.drop(org);
      await this.repo().update({ id: org.id }, { status: 'failed', lastError: err.message.slice(0, 500) });
      this.catalog.changed(org.slug);
    } catch (cleanupErr) {
      this.logger.error(
        { tenantId: org.id, err: (cleanupErr as Error).message },
        'cleanup failed; left to the sweep',
      );
    }
  }

  /**
   * The catalog row this onboarding works on: the caller's own earlier onboarding of the slug (a retry), or,
   * within the owner's quota, a spare taken over or a new row. Counting and claiming are one transaction
   * under the owner's advisory lock, so concurrent onboardings of one owner never pass the limit together.
   */
  private async claim(ownerId: string, name: string, slug: string): Promise<Claim> {
    const existing = await this.repo().findOneBy({ slug });
    if (existing) return { org: this.ownRetry(existing, ownerId), spare: false };
    let claim: Claim;
    try {
      claim = await this.core.transaction(async (m) => {
        await lockForTransaction(m, { lockClass: LockClass.ownerQuota, id: ownerId });
        const [{ n }] = await m.query(
          `SELECT count(*)::int AS n FROM organizations
            WHERE owner_id = $1 AND status IN ('provisioning', 'active', 'suspended', 'deleted')`,
          [ownerId],
        );
        const limit = this.settings.maxPerOwner;
        if (n >= limit) throw TenancyErrors.quotaExceeded(limit);
        const spare = await this.spares.claim(m, ownerId, name, slug);
        if (spare) return { org: spare, spare: true };
        const id = randomUUID();
        await m.insert(Organization, {
          id,
          name,
          slug,
          ownerId,
          status: 'provisioning',
          dbName: tenantIdentity(id).dbName,
          server: await this.servers.place(m),
        });
        return { org: await m.findOneByOrFail(Organization, { id }), spare: false };
      });
    } catch (err) {
      // Another onboarding took the slug between the look-up and the claim.
      if (!hasSqlState(err, SqlState.UNIQUE_VIOLATION)) throw err;
      const winner = await this.repo().findOneBy({ slug });
      if (!winner) throw err;
      return { org: this.ownRetry(winner, ownerId), spare: false };
    }
    this.catalog.changed(slug);
    if (claim.spare) this.spares.claimed();
    return claim;
  }

  /** A slug already in the catalog: the caller's own unfinished (or finished) onboarding, or taken. */
  private ownRetry(existing: Organization, ownerId: string): Organization {
    const own =
      existing.ownerId === ownerId && ['provisioning', 'failed', 'active'].includes(existing.status);
    if (!own) throw TenancyErrors.slugTaken();
    return existing;
  }

  private repo() {
    return this.core.getRepository(Organization);
  }
}
