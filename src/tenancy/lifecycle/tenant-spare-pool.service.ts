import { SchedulerRegistry } from '@nestjs/schedule';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { CoalescedTask } from '../../common/async/coalesced-task.js';
import { LockClass, withAdvisoryLock } from '../../database/advisory-lock.js';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { Organization } from '../catalog/organization.entity.js';
import { injectFault, type OnboardingOwner, SPARE_SLUG_PREFIX } from './provisioning-support.js';
import {
  TENANCY_OPTIONS,
  type TenancyOptions,
  TENANCY_SETTINGS,
  type TenancySettings,
} from '../options/tenancy.options.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { tenantIdentity } from '../catalog/tenant-identity.js';
import { TenantMigrator } from '../migrations/tenant-migrator.service.js';
import { takeOverTemplateCopy } from '../databases/tenant-roles.js';
import { TenantRemover } from './tenant-remover.service.js';
import { TenantTemplateService } from './tenant-template.service.js';
import { DatabaseServers } from '../servers/database-servers.service.js';

const RECHECK_MS = 30_000;

/**
 * Keeps `TENANT_SPARES` databases provisioned ahead of demand, so that onboarding only claims one and seeds
 * its admin. Spares at an older schema version (a deploy added a migration) or left half-built by a crash
 * are removed and replaced. One instance at a time refills (advisory try-lock); it runs at start, after
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
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly template: TenantTemplateService,
    private readonly migrator: TenantMigrator,
    private readonly catalog: TenantCatalog,
    private readonly builder: TenantDatabaseBuilder,
    private readonly scheduler: SchedulerRegistry,
    private readonly remover: TenantRemover,
    private readonly servers: DatabaseServers,
  ) {}

  private get enabled(): boolean {
    return this.settings.spares > 0;
  }

  onApplicationBootstrap(): void {
    if (this.enabled && this.settings.runWorkers)
      void this.task.every(RECHECK_MS, this.scheduler, 'tenant-spares');
  }

  /** The first shutdown hook: no new pass, and the running one finishes while the builder still can. */
  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; a call during a pass asks for another right after it. */
  replenish(): Promise<void> {
    return this.task.trigger();
  }

  /** After a claim committed: make the next spare (where this instance runs the pool). */
  claimed(): void {
    if (this.settings.runWorkers) void this.replenish();
  }

  /**
   * Takes a spare at the current version for this onboarding, in one statement on the caller's transaction
   * (SKIP LOCKED: concurrent onboardings take different spares). Null when there is none.
   */
  async claim(m: EntityManager, ownerId: string, name: string, slug: string): Promise<Organization | null> {
    if (!this.enabled) return null;
    const [rows] = await m.query(
      `UPDATE organizations SET slug = $1, name = $2, owner_id = $3, status = 'provisioning', updated_at = now()
        WHERE id = (SELECT id FROM organizations WHERE status = 'spare' AND schema_version IS NOT DISTINCT FROM $4
                     ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [slug, name, ownerId, this.migrator.latest],
    );
    if (rows.length === 0) return null;
    return m.findOneByOrFail(Organization, { id: rows[0].id });
  }

  /** A claimed spare only needs its first admin: seeded, active, published. */
  async activate(org: Organization, owner: OnboardingOwner): Promise<Organization> {
    await this.builder.inside(org, (inside) => this.options.seedFirstAdmin(inside, owner));
    injectFault(this.settings, 'seeded');
    await this.repo().update({ id: org.id }, { status: 'active', lastError: null });
    this.catalog.changed(org.slug);
    this.logger.log({ tenantId: org.id, slug: org.slug, spare: true }, 'organization onboarded');
    return Object.assign(org, { status: 'active' as const, lastError: null });
  }

  /** On a lock connection of its own: a long pass never holds one of the core pool's connections. */
  private async pass(): Promise<void> {
    const lock = { lockClass: LockClass.spares };
    await withAdvisoryLock(this.coreUrl, lock, () => this.refill(), { tryOnly: true });
  }

  private async refill(): Promise<void> {
    const repo = this.repo();
    const latest = this.migrator.latest;
    const stale = await repo.find({
      where: [
        { status: 'spare', schemaVersion: latest === null ? Not(IsNull()) : Not(latest) },
        { status: 'spare', schemaVersion: IsNull() },
      ],
    });
    for (const org of stale) await this.remover.remove(org);
    let ready = await repo.countBy({ status: 'spare', schemaVersion: latest ?? IsNull() });
    while (!this.task.isStopped && ready < this.settings.spares) {
      await this.create();
      ready++;
    }
  }

  /**
   * Builds one spare: a catalog row without owner, placed like an onboarding (a spare counts against its
   * server's headroom), its role and database at the template's version.
   */
  private async create(): Promise<void> {
    const tenantId = randomUUID();
    const id = tenantIdentity(tenantId);
    const server = await this.core.transaction(async (m) => {
      const placed = await this.servers.place(m);
      await m.insert(Organization, {
        id: tenantId,
        name: 'spare',
        slug: `${SPARE_SLUG_PREFIX}${tenantId.replace(/-/g, '')}`,
        ownerId: null as never,
        status: 'spare',
        dbName: id.dbName,
        server: placed,
      });
      return placed;
    });
    const at = { id: tenantId, server };
    try {
      const template = await this.template.ensure(server);
      await this.builder.build(at, template.name);
      await this.builder.inside(at, (inside) =>
        takeOverTemplateCopy(inside, id, this.options.appendOnlyTables),
      );
      await this.repo().update({ id: tenantId }, { schemaVersion: template.version });
    } catch (err) {
      await this.builder.drop(at).catch(() => undefined);
      await this.repo().delete({ id: tenantId });
      throw err;
    }
  }

  private repo() {
    return this.core.getRepository(Organization);
  }
}
