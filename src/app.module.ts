import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { CoreModule } from './core/core.module.js';
import { buildDataSourceOptions } from './database/datasource-options.js';
import { CORE_DATABASE_URL } from './database/database.tokens.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { CORE_POOL_MAX } from './tenancy/connection-budget.js';
import { TenancyModule } from './tenancy/tenancy.module.js';
import { TenantModule } from './tenant/tenant.module.js';

@Global()
@Module({})
export class AppModule {
  /** `coreUrl` is the resolved core database (embedded or given), created and migrated beforehand. */
  static forRoot(config: AppConfig, coreUrl: string, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // One short line per request: serialising every header cost ~6 % of a routed read's CPU.
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            autoLogging: config.nodeEnv !== 'test',
          },
        }),
        TypeOrmModule.forRoot(
          buildDataSourceOptions('core', {
            url: coreUrl,
            poolMax: CORE_POOL_MAX,
            applicationName: 'tenantry-core',
          }),
        ),
        ScheduleModule.forRoot(),
        MetricsModule,
        HealthModule,
        TenancyModule,
        CoreModule,
        TenantModule,
        ...extraModules,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: CORE_DATABASE_URL, useValue: coreUrl },
      ],
      exports: [CORE_DATABASE_URL],
    };
  }
}
