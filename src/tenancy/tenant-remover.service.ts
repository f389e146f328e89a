import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { TenantConnectionRegistry } from './connections/tenant-connection.registry.js';
import { Organization } from './organization.entity.js';
import { withTenantLock } from './provisioning-support.js';
import { TenantCatalog } from './tenant-catalog.service.js';
import { TenantDatabaseBuilder } from './tenant-database.builder.js';

/**
 * Removes a tenant: it stops serving at once (`deleting`, which every instance hears of through the
 * catalog's trigger), then its database, role and catalog row go. A crash midway leaves `deleting`, which
 * the sweep finishes.
 */
@Injectable()
export class TenantRemover {
  private readonly logger = new Logger(TenantRemover.name);
  private readonly cleanups: ((tenantId: string) => Promise<void>)[] = [];

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

  async remove(org: Organization): Promise<void> {
    const repo = this.core.getRepository(Organization);
    await repo.update({ id: org.id }, { status: 'deleting' });
    this.catalog.changed(org.slug);
    this.connections.evict(org.id);
    await withTenantLock(this.coreUrl, org.id, async () => {
      // Another remover (a sweep, another instance) may have finished it meanwhile.
      if (!(await repo.existsBy({ id: org.id }))) return;
      for (const cleanup of this.cleanups) await cleanup(org.id);
      await this.builder.drop(org.id);
      await repo.delete({ id: org.id });
    });
    this.catalog.changed(org.slug);
    this.logger.log({ tenantId: org.id, slug: org.slug }, 'organization deleted');
  }
}
