import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
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
import { TenantScope } from './tenant-scope.js';
import { TenantSparePool } from './tenant-spare-pool.service.js';
import { TenantTemplateService } from './tenant-template.service.js';
import { TenantDatabaseBuilder } from './tenant-database.builder.js';
import { TenantMaintenance } from './tenant-maintenance.service.js';
import { TenantReadQuery } from './tenant-read-query.service.js';
import { TenantCopier } from './tenant-copier.service.js';
import { TenantDataCopier } from './copies/data-copier.js';
import { TenantSweeper } from './tenant-sweeper.service.js';
import { TenantRemover } from './tenant-remover.service.js';
import { TENANCY_OPTIONS, type TenancyOptions } from './tenancy.options.js';
import { DatabaseServers } from './servers/database-servers.service.js';
import { ServerAdmin } from './servers/server-admin.service.js';
import { TenantMover } from './servers/tenant-mover.service.js';

const providers = [
  FleetMigrator,
  TenancyMetrics,
  TenantCatalog,
  TenantConnectionRegistry,
  TenantTemplateService,
  TenantMigrator,
  TenantProvisioner,
  TenantRemover,
  TenantGuard,
  TenantConnectionManager,
  TenantRunner,
  TenantSparePool,
  TenantDatabaseBuilder,
  TenantSweeper,
  TenantMaintenance,
  TenantReadQuery,
  TenantCopier,
  TenantDataCopier,
  TenantScope,
  DatabaseServers,
  ServerAdmin,
  TenantMover,
];

/**
 * The engine: catalog, connection registry, connection manager, provisioner, migrator (docs/tenancy.md).
 * The application hands in what the engine needs of it with `forRoot`.
 */
@Global()
@Module({})
export class TenancyModule implements OnModuleInit {
  constructor(
    private readonly catalog: TenantCatalog,
    private readonly connections: TenantConnectionRegistry,
  ) {}

  static forRoot(options: TenancyOptions): DynamicModule {
    return {
      module: TenancyModule,
      providers: [
        ...providers,
        { provide: TENANCY_OPTIONS, useValue: options },
        {
          provide: TENANT_MIGRATION_SET,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => loadTenantMigrations(config, options.tenantMigrations),
        },
      ],
      exports: [...providers, TENANT_MIGRATION_SET, TENANCY_OPTIONS],
    };
  }

  onModuleInit(): void {
    // A tenant that stopped serving here (suspended, deleted, moved to another server) loses this
    // instance's connections; a change that leaves it serving the same database (its settings) keeps them,
    // and the fresh entry is cached at once.
    this.catalog.onChange((slug, previous) => {
      if (!previous) return;
      void this.catalog.findBySlug(slug).then(
        (next) => {
          if (
            next?.status !== 'active' ||
            next.id !== previous.id ||
            next.dbName !== previous.dbName ||
            next.server !== previous.server
          )
            this.connections.evict(previous.id);
        },
        () => this.connections.evict(previous.id),
      );
    });
  }
}
