import {
  DynamicModule,
  type FactoryProvider,
  Global,
  Module,
  OnModuleInit,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { loadTenantMigrations, TENANT_MIGRATION_SET } from './options/tenant-migrations.js';
import { FleetMigrator } from './migrations/fleet-migrator.service.js';
import { FleetRuns } from './migrations/fleet-runs.service.js';
import { BackupVerifier } from './copies/backup-verifier.js';
import { SchemaGate } from './request/schema-gate.js';
import { TenancyMetrics } from './options/tenancy.metrics.js';
import { TenantCatalog } from './catalog/tenant-catalog.service.js';
import { TenantConnectionManager } from './request/tenant-connection.manager.js';
import { TenantConnectionRegistry } from './connections/tenant-connection.registry.js';
import { TenantGuard } from './request/tenant.guard.js';
import { TenantMigrator } from './migrations/tenant-migrator.service.js';
import { TenantProvisioner } from './lifecycle/tenant-provisioner.service.js';
import { TenantRunner } from './request/tenant-runner.service.js';
import { TenantScope } from './request/tenant-scope.js';
import { RequestScopeHook } from './request/request-scope.hook.js';
import { TenantSparePool } from './lifecycle/tenant-spare-pool.service.js';
import { TenantTemplateService } from './lifecycle/tenant-template.service.js';
import { TenantDatabaseBuilder } from './databases/tenant-database.builder.js';
import { TenantMaintenance } from './lifecycle/tenant-maintenance.service.js';
import { TenantReadQuery } from './request/tenant-read-query.service.js';
import { TenantCopier } from './lifecycle/tenant-copier.service.js';
import { TenantDataCopier } from './copies/data-copier.js';
import { TenantSweeper } from './lifecycle/tenant-sweeper.service.js';
import { TenantRemover } from './lifecycle/tenant-remover.service.js';
import {
  TENANCY_OPTIONS,
  TENANCY_SETTINGS,
  type TenancyOptions,
  validateTenancyOptions,
} from './options/tenancy.options.js';
import { DatabaseServers } from './servers/database-servers.service.js';
import { ServerAdmin } from './lifecycle/server-admin.service.js';
import { TenantMover } from './lifecycle/tenant-mover.service.js';
import { TenantOnlineMove } from './lifecycle/tenant-online-move.js';

export interface TenancyAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory(...args: unknown[]): TenancyOptions | Promise<TenancyOptions>;
}

const providers = [
  FleetMigrator,
  FleetRuns,
  BackupVerifier,
  TenancyMetrics,
  TenantCatalog,
  TenantConnectionRegistry,
  TenantTemplateService,
  TenantMigrator,
  TenantProvisioner,
  TenantRemover,
  TenantGuard,
  SchemaGate,
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
  RequestScopeHook,
  DatabaseServers,
  ServerAdmin,
  TenantMover,
  TenantOnlineMove,
];

/**
 * The engine: catalog, connection registry, connection manager, provisioner, migrator (docs/reference/tenancy.md).
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
    validateTenancyOptions(options);
    return TenancyModule.module([{ provide: TENANCY_OPTIONS, useValue: options }]);
  }

  /** The options from a factory, for a host whose settings come from another provider (its config). */
  static forRootAsync(async: TenancyAsyncOptions): DynamicModule {
    const options: Provider = {
      provide: TENANCY_OPTIONS,
      inject: async.inject ?? [],
      useFactory: async (...args: unknown[]) => validateTenancyOptions(await async.useFactory(...args)),
    };
    return { ...TenancyModule.module([options]), imports: async.imports ?? [] };
  }

  private static module(options: Provider[]): DynamicModule {
    const derived: Provider[] = [
      { provide: TENANCY_SETTINGS, inject: [TENANCY_OPTIONS], useFactory: (o: TenancyOptions) => o.settings },
      {
        provide: CORE_DATABASE_URL,
        inject: [TENANCY_OPTIONS],
        useFactory: (o: TenancyOptions) => o.settings.coreUrl,
      },
      {
        provide: TENANT_MIGRATION_SET,
        inject: [TENANCY_OPTIONS],
        useFactory: (o: TenancyOptions) => loadTenantMigrations(o.settings, o.tenantMigrations),
      },
    ];
    return {
      module: TenancyModule,
      providers: [...providers, ...options, ...derived],
      exports: [...providers, TENANT_MIGRATION_SET, TENANCY_OPTIONS, TENANCY_SETTINGS, CORE_DATABASE_URL],
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
