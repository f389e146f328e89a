import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Global, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { loadTenantMigrations, TENANT_MIGRATION_SET } from './tenant-migrations.js';
import { FleetMigrator } from './fleet-migrator.service.js';
import { TenancyMetrics } from './tenancy.metrics.js';
import { TenantCatalog } from './tenant-catalog.service.js';
import { TenantConnectionManager } from './tenant-connection.manager.js';
import { TenantConnectionRegistry } from './connections/tenant-connection.registry.js';
import { TenantGuard } from './tenant.guard.js';
import { TenantMigrator } from './tenant-migrator.service.js';
import { TenantProvisioner } from './tenant-provisioner.service.js';
import { TenantRunner } from './tenant-runner.service.js';
import { TenantScope, TenantScopeInterceptor } from './tenant-scope.js';
import { TenantSparePool } from './tenant-spare-pool.service.js';
import { TenantTemplateService } from './tenant-template.service.js';

const providers = [
  FleetMigrator,
  TenancyMetrics,
  TenantCatalog,
  TenantConnectionRegistry,
  TenantTemplateService,
  TenantMigrator,
  TenantProvisioner,
  TenantGuard,
  TenantConnectionManager,
  TenantRunner,
  TenantSparePool,
  TenantScope,
  TenantScopeInterceptor,
];

/** The engine: catalog, DataSource registry, connection manager, provisioner, migrator (docs/tenancy.md). */
@Global()
@Module({
  providers: [
    ...providers,
    {
      provide: TENANT_MIGRATION_SET,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loadTenantMigrations(config),
    },
  ],
  exports: [...providers, TENANT_MIGRATION_SET],
})
export class TenancyModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly catalog: TenantCatalog,
    private readonly registry: TenantConnectionRegistry,
    private readonly provisioner: TenantProvisioner,
  ) {}

  onModuleInit(): void {
    // A changed catalog row (suspended, deleted, migrated) closes this instance's DataSource for it.
    this.catalog.onChange((_slug, previous) => previous && this.registry.evict(previous.id));
  }

  async onApplicationBootstrap(): Promise<void> {
    // The CLI may start on a core database that `migrate:core` has yet to create the catalog in.
    if (await this.core.showMigrations()) return;
    await this.provisioner.finishPendingDeletions();
  }
}
