import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { JobRegistry } from '../../jobs/job-registry.js';
import { TenantRemover } from '../../tenancy/index.js';

/**
 * `tenant-purge`, a cluster part only: organizations deleted longer ago than `TENANT_DELETE_GRACE_DAYS`
 * lose their database, roles, files and catalog row. Each removal holds the tenant's lock, so a purge
 * racing an owner's restore or another instance's purge does each tenant once.
 */
@Injectable()
export class OrganizationPurgeJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly remover: TenantRemover,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.define('tenant-purge', { cluster: () => this.run() });
  }

  async run(): Promise<{ purged: number }> {
    return { purged: await this.remover.purgeExpired(this.config.tenants.deleteGraceDays) };
  }
}
