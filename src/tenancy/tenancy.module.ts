import { Global, Inject, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { checkConnectionBudget } from './connection-budget.js';
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
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalog: TenantCatalog,
    private readonly registry: TenantDataSourceRegistry,
    private readonly provisioner: TenantProvisioner,
  ) {}

  async onModuleInit(): Promise<void> {
    await checkConnectionBudget(this.core, this.config.tenants.maxDataSources, this.config.tenants.poolMax);
    // A changed catalog row (suspended, deleted, migrated) closes this instance's DataSource for it.
    this.catalog.onChange((_slug, previous) => previous && this.registry.evict(previous.id));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.provisioner.finishPendingDeletions();
  }
}
