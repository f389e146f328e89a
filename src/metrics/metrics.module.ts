import { Controller, Get, Global, Header, Headers, Inject, Module, NotFoundException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** One prom-client registry per application instance (tests run several in one process). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: Registry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * With METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` reads the metrics; without it they
   * are open outside production and absent in it. Any refusal looks like a missing route (404).
   */
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.http.metricsToken;
    const allowed = token
      ? sameSecret(authorization ?? '', `Bearer ${token}`)
      : this.config.nodeEnv !== 'production';
    if (!allowed) throw new NotFoundException();
    return this.registry.metrics();
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison of two secrets of any length. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
  ],
  exports: [Registry],
})
export class MetricsModule {}
