import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommonError, CommonErrorCode } from '../common/errors/error-code.js';
import { Operation } from '../common/openapi/operation.js';
import { CoreError, CoreErrorCode } from '../core/errors/core.errors.js';
import { FleetMigrator, ServerAdmin, TenantCatalog, TenantConnectionRegistry } from '../tenancy/index.js';
import { recordAction } from './operator-actions.js';
import { TenantFigures } from './health/tenant-figures.service.js';
import { TenantSizes } from './health/tenant-sizes.service.js';
import { lastHour } from './health/tenant-health.js';
import { recentErrors } from './health/recent-errors.js';
import { type AuthenticatedOperator, CurrentOperator, OperatorAuthGuard } from './operator-auth.guard.js';
import { MigrationRunDto, OperatorServerDto } from './operator-servers.dto.js';
import {
  findTenant,
  listTenants,
  OperatorTenantDetailDto,
  OperatorTenantDto,
  OperatorTenantPage,
  OperatorTenantQueryDto,
} from './operator-tenants.js';

const notFound = () => new CoreError(CoreErrorCode.ORGANIZATION_NOT_FOUND, 'No such organization.');

/** The fleet as operators see it: servers, tenants, and what they may do to one. */
@ApiTags('Operators')
@ApiBearerAuth('operator')
@UseGuards(OperatorAuthGuard)
@Controller('operator')
export class OperatorFleetController {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly servers: ServerAdmin,
    private readonly registry: TenantConnectionRegistry,
    private readonly catalog: TenantCatalog,
    private readonly figures: TenantFigures,
    private readonly fleet: FleetMigrator,
    private readonly sizes: TenantSizes,
  ) {}

  @Get('servers')
  @ApiOkResponse({ type: [OperatorServerDto] })
  @Operation(
    'listServers',
    'Every database server: capacity, tenants, Postgres, connection budget and use',
    'NOT_FOUND',
  )
  async listServers(): Promise<OperatorServerDto[]> {
    const budgets = this.registry.budgetsByServer();
    return (await this.servers.list()).map((s) => {
      const pool = this.registry.statsOf(s.name);
      return {
        ...s,
        budget: budgets.get(s.name)?.tenants ?? null,
        pool: pool ? { open: pool.open, inUse: pool.busy, idle: pool.idle, waiting: pool.waiting } : null,
      };
    });
  }

  @Get('tenants')
  @ApiOkResponse({ type: OperatorTenantPage })
  @Operation(
    'listFleetTenants',
    'The tenants of the fleet, filtered, in slug order or by size, load or last activity',
    'NOT_FOUND',
  )
  listTenants(@Query() query: OperatorTenantQueryDto): Promise<OperatorTenantPage> {
    this.sizes.refreshIfStale();
    return listTenants(this.core, query);
  }

  @Get('tenants/:slug')
  @ApiOkResponse({ type: OperatorTenantDetailDto })
  @Operation('getFleetTenant', 'One tenant of the fleet', 'ORGANIZATION_NOT_FOUND', 'NOT_FOUND')
  async getTenant(@Param('slug') slug: string): Promise<OperatorTenantDetailDto> {
    const found = await findTenant(this.core, slug);
    if (!found) throw notFound();
    const { id, ...tenant } = found;
    return {
      ...tenant,
      lastHour: await lastHour(this.core, id, this.figures.pendingOf(id)),
      recentErrors: await recentErrors(this.core, id, this.figures.recent.pendingOf(id)),
    };
  }

  @Post('tenants/:slug/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: OperatorTenantDto })
  @Operation(
    'suspendFleetTenant',
    'Suspend a tenant: its routes answer 403',
    'ORGANIZATION_NOT_FOUND',
    'INVALID_TRANSITION',
    'NOT_FOUND',
  )
  suspend(
    @CurrentOperator() operator: AuthenticatedOperator,
    @Param('slug') slug: string,
  ): Promise<OperatorTenantDto> {
    return this.transition(operator, slug, 'active', 'suspended');
  }

  @Post('tenants/:slug/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: OperatorTenantDto })
  @Operation(
    'resumeFleetTenant',
    'Resume a suspended tenant',
    'ORGANIZATION_NOT_FOUND',
    'INVALID_TRANSITION',
    'NOT_FOUND',
  )
  resume(
    @CurrentOperator() operator: AuthenticatedOperator,
    @Param('slug') slug: string,
  ): Promise<OperatorTenantDto> {
    return this.transition(operator, slug, 'suspended', 'active');
  }

  @Post('tenants/:slug/migrate')
  @HttpCode(200)
  @ApiOkResponse({ type: MigrationRunDto })
  @Operation(
    'migrateFleetTenant',
    "Run a tenant's pending migrations now (under its migration lock)",
    'ORGANIZATION_NOT_FOUND',
    'INVALID_TRANSITION',
    'NOT_FOUND',
  )
  async migrate(
    @CurrentOperator() operator: AuthenticatedOperator,
    @Param('slug') slug: string,
  ): Promise<MigrationRunDto> {
    const record = (result: string) =>
      recordAction(this.core.manager, {
        operatorId: operator.id,
        actor: operator.email,
        action: 'migrate',
        tenantSlug: slug,
        result,
      });
    const [org] = await this.fleet.targets([slug]).catch(() => []);
    const refused =
      !org || org.status === 'spare'
        ? notFound()
        : org.status !== 'active' && org.status !== 'suspended'
          ? new CommonError(
              CommonErrorCode.INVALID_TRANSITION,
              `A tenant that is ${org.status} cannot be migrated.`,
            )
          : null;
    if (refused) {
      await record(refused.code);
      throw refused;
    }
    const [row] = await this.fleet.run([org], { concurrency: 1, continueOnError: true, dryRun: false });
    await record(row.result === 'failed' ? 'failed' : 'ok');
    return {
      slug: row.slug,
      from: row.from,
      to: row.to,
      result: row.result,
      migrations: row.migrations,
      ms: row.ms,
      ...(row.error ? { error: row.error } : {}),
    };
  }

  /** One status change, recorded whatever its result (who, what, which tenant, when, result). */
  private async transition(
    operator: AuthenticatedOperator,
    slug: string,
    from: 'active' | 'suspended',
    to: 'active' | 'suspended',
  ): Promise<OperatorTenantDto> {
    const action = to === 'suspended' ? 'suspend' : 'resume';
    const record = (result: string) =>
      recordAction(this.core.manager, {
        operatorId: operator.id,
        actor: operator.email,
        action,
        tenantSlug: slug,
        result,
      });
    const [org]: { id: string; status: string }[] = await this.core.query(
      `SELECT id, status FROM organizations WHERE slug = $1 AND status <> 'spare'`,
      [slug],
    );
    const refused = !org
      ? notFound()
      : org.status !== from
        ? new CommonError(
            CommonErrorCode.INVALID_TRANSITION,
            `A tenant that is ${org.status} cannot be ${to === 'suspended' ? 'suspended' : 'resumed'}.`,
          )
        : null;
    if (refused) {
      await record(refused.code);
      throw refused;
    }
    await this.catalog.setStatus(org.id, to);
    await record('ok');
    const { id: _id, ...tenant } = (await findTenant(this.core, slug))!;
    return tenant;
  }
}
