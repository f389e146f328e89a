import { Global, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { TenancyMetrics } from './tenancy.metrics.js';
import { TenantCatalog } from './tenant-catalog.service.js';
import { TenantConnectionManager } from './tenant-connection.manager.js';
import { TenantDataSourceRegistry } from './tenant-datasource.registry.js';
import { TenantGuard } from './tenant.guard.js';
import { TenantMigrator } from './tenant-migrator.service.js';
import { TenantProvisioner } from './tenant-provisioner.service.js';
import { TenantRunner } from './tenant-runner.service.js';
import { TenantTemplateService } from './tenant-template.service.js';

const providers = [
  TenancyMetrics,
  TenantCatalog,
  TenantDataSourceRegistry,
  TenantTemplateService,
  TenantMigrator,
  TenantProvisioner,
  TenantGuard,
  TenantConnectionManager,
  TenantRunner,
];

/** The engine: catalog, DataSource registry, connection manager, provisioner, migrator (docs/tenancy.md). */
@Global()
@Module({ providers, exports: providers })
export class TenancyModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly catalog: TenantCatalog,
    private readonly registry: TenantDataSourceRegistry,
    private readonly provisioner: TenantProvisioner,
  ) {}

  onModuleInit(): void {
    // A changed catalog row (suspended, deleted, migrated) closes this instance's DataSource for it.
    this.catalog.onChange((_slug, previous) => previous && this.registry.evict(previous.id));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.provisioner.finishPendingDeletions();
  }
}
