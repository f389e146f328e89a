import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';
import { Organization } from '../catalog/organization.entity.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { withTenantLock } from './provisioning-support.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';

/**
 * Removes a tenant: it stops serving at once (`deleting`, which every instance hears of through the
 * catalog's trigger), then its database, role and catalog row go. A crash midway leaves `deleting`, which
 * the sweep finishes.
 */
@Injectable()
export class TenantRemover {
  private readonly logger = new Logger(TenantRemover.name);
  private readonly cleanups: ((tenantId: string) => Promise<void>)[] = [];
  private readonly restoreSteps: ((tenant: TenantLocation) => Promise<void>)[] = [];

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    private readonly catalog: TenantCatalog,
    private readonly connections: TenantConnectionRegistry,
    private readonly builder: TenantDatabaseBuilder,
  ) {}

  /**
   * What the application keeps of a tenant outside its database (its files): removed before the database,
   * under the tenant's lock. A failure leaves the tenant `deleting`, and the sweep tries again.
   */
  addCleanup(cleanup: (tenantId: string) => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** What the application does in a tenant's database before it serves again after a restore. */
  addRestoreStep(step: (tenant: TenantLocation) => Promise<void>): void {
    this.restoreSteps.push(step);
  }

  async remove(org: Pick<Organization, 'id' | 'slug' | 'server'>): Promise<void> {
    const repo = this.core.getRepository(Organization);
    await repo.update({ id: org.id }, { status: 'deleting' });
    this.catalog.changed(org.slug);
    this.connections.evict(org.id);
    await withTenantLock(this.coreUrl, org.id, async () => {
      // Another remover (a sweep, another instance) may have finished it meanwhile.
      if (!(await repo.existsBy({ id: org.id }))) return;
      for (const cleanup of this.cleanups) await cleanup(org.id);
      await this.builder.drop(org);
      await repo.delete({ id: org.id });
    });
    this.catalog.changed(org.slug);
    this.logger.log({ tenantId: org.id, slug: org.slug }, 'organization deleted');
  }

  /**
   * Deletion under a grace period: the tenant stops serving at once (`deleted` answers 404 like a missing
   * tenant, on every instance through the catalog's trigger), its database stays until `purgeExpired`.
   * False when the organization was not active or suspended.
   */
  async retire(org: Organization): Promise<boolean> {
    const [, count]: [unknown, number] = await this.core.query(
      `UPDATE organizations SET status = 'deleted', deleted_at = now(), updated_at = now()
        WHERE id = $1 AND status IN ('active', 'suspended')`,
      [org.id],
    );
    this.catalog.changed(org.slug);
    this.connections.evict(org.id);
    return count > 0;
  }

  /** Serving again, if deleted less than `graceDays` ago; false otherwise (nothing changed). */
  async restore(org: Organization, graceDays: number): Promise<boolean> {
    for (const step of this.restoreSteps) await step(org);
    const [, count]: [unknown, number] = await this.core.query(
      `UPDATE organizations SET status = 'active', deleted_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'deleted' AND deleted_at > now() - make_interval(days => $2)`,
      [org.id, graceDays],
    );
    this.catalog.changed(org.slug);
    return count > 0;
  }

  /**
   * Removes every organization deleted at least `graceDays` ago; resolves how many went. They are claimed
   * (`deleting`) in one statement first, so a restore can no longer take one back; a crash after the claim
   * leaves `deleting` rows, which the sweep finishes.
   */
  async purgeExpired(graceDays: number): Promise<number> {
    const [due]: [Pick<Organization, 'id' | 'slug' | 'server'>[], number] = await this.core.query(
      `UPDATE organizations SET status = 'deleting', updated_at = now()
        WHERE status = 'deleted' AND deleted_at <= now() - make_interval(days => $1)
        RETURNING id, slug, server`,
      [graceDays],
    );
    for (const org of due) await this.remove(org);
    return due.length;
  }
}
