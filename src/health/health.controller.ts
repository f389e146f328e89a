import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { TenantConnectionRegistry, TenantCatalog } from '../tenancy/index.js';
import { Operation } from '../common/openapi/operation.js';

@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly connections: TenantConnectionRegistry,
    private readonly catalog: TenantCatalog,
  ) {}

  /** The process is up; no I/O. */
  @Get('live')
  @Operation('getLiveness', 'Liveness: the process answers')
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * The core database answers; 503 otherwise. The engine's state is reported alongside and never fails
   * readiness: no single tenant (or a full budget, which answers 503 per request) makes an instance unready.
   */
  @Get('ready')
  @HealthCheck()
  @Operation('getReadiness', 'Readiness: the core database answers (503 when not)')
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.db.pingCheck('core', { timeout: 2000 }), () => this.engine()]);
  }

  private engine(): HealthIndicatorResult {
    const pool = this.connections.stats();
    return {
      engine: {
        status: 'up',
        tenantConnections: { used: pool.open, budget: this.connections.budget.tenants, busy: pool.busy },
        tenantsConnected: pool.keys,
        waitingAcquires: pool.waiting,
        catalogListener: this.catalog.listenerUp ? 'up' : 'down',
      },
    };
  }
}
