import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { BodylessRoutesGuard } from './common/http/bodyless-routes.guard.js';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { CoreModule } from './core/core.module.js';
import { buildDataSourceOptions } from './database/datasource-options.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { CORE_POOL_MAX, TenancyModule, type TenancySettings } from './tenancy/index.js';
import { adoptCopiedUsers, seedAdmin } from './tenant/identity/user.seed.js';
import { SCHEMAS, TENANT_APPEND_ONLY_TABLES } from './schemas.js';
import { LimitsModule } from './common/limits/limits.module.js';
import { OwnerRepository } from './core/owners/owner.repository.js';
import { OWNER_CREDENTIALS_SYNC } from './core/owners/owner-credentials.port.js';
import { OwnerAdminSync } from './tenant/users/owner-admin.sync.js';
import { TenantModule } from './tenant/tenant.module.js';
import { OperatorModule } from './operator/operator.module.js';
import { ConsoleModule } from './console/console.module.js';
import { BackupsModule } from './backups/backups.module.js';

/** The engine's settings, from the service's configuration (the engine reads no configuration itself). */
function tenancySettings(config: AppConfig, coreUrl: string): TenancySettings {
  const { tenants: t, testHooks } = config;
  return {
    coreUrl,
    header: config.tenantHeader,
    hostSuffix: config.tenantHostSuffix,
    dbSecret: t.dbSecret,
    poolMax: t.poolMax,
    maxShare: t.maxShare,
    idleMs: t.idleMs,
    acquireTimeoutMs: t.acquireTimeoutMs,
    migrateOnAccess: t.migrateOnAccess,
    connectionBudget: t.connectionBudget,
    maxDataSources: t.maxDataSources,
    poolerUrl: t.poolerUrl,
    provisioningConcurrency: t.provisioningConcurrency,
    provisioningQueue: t.provisioningQueue,
    sweepMs: t.sweepMs,
    spares: t.spares,
    maxPerOwner: t.maxPerOwner,
    catalogTtlMs: t.catalogTtlMs,
    // Each tenant job's maintenance runs on an admin session of its own.
    hostConnections: config.jobs.concurrency,
    runWorkers: config.runWorkers,
    faults: { afterStep: testHooks.faultAfterStep, extraTenantMigrations: testHooks.extraTenantMigrations },
  };
}

@Global()
@Module({})
export class AppModule {
  /** `coreUrl` is the resolved core database (embedded or given), created and migrated beforehand. */
  static forRoot(config: AppConfig, coreUrl: string, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(
          buildDataSourceOptions({
            ...SCHEMAS.core,
            url: coreUrl,
            poolMax: CORE_POOL_MAX,
            applicationName: 'tenantry-core',
          }),
        ),
        ScheduleModule.forRoot(),
        MetricsModule,
        LimitsModule,
        HealthModule,
        JobsModule,
        TenancyModule.forRoot({
          tenantEntities: SCHEMAS.tenant.entities,
          tenantMigrations: SCHEMAS.tenant.migrations,
          appendOnlyTables: TENANT_APPEND_ONLY_TABLES,
          seedFirstAdmin: seedAdmin,
          adoptCopy: adoptCopiedUsers,
          findOwner: (core, ownerId) => new OwnerRepository(core).findById(ownerId),
          settings: tenancySettings(config, coreUrl),
        }),
        CoreModule,
        TenantModule,
        BackupsModule,
        OperatorModule,
        ConsoleModule,
        ...extraModules,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_GUARD, useClass: BodylessRoutesGuard },
        // The data plane answers core's port (core never imports it): see owner-credentials.port.ts.
        { provide: OWNER_CREDENTIALS_SYNC, useExisting: OwnerAdminSync },
      ],
      exports: [OWNER_CREDENTIALS_SYNC],
    };
  }
}
