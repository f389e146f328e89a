import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsBoolean, IsString, Length } from 'class-validator';
import { Optional } from '../common/validation/optional.decorator.js';
import { DataSource } from 'typeorm';
import { CommonError, CommonErrorCode } from '../common/errors/error-code.js';
import { Operation } from '../common/openapi/operation.js';
import { CoreError, CoreErrorCode } from '../core/errors/core.errors.js';
import type { JobName } from '../jobs/job-definitions.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import { DatabaseServers } from '../tenancy/index.js';
import { recorded } from './operator-actions.js';
import { type AuthenticatedOperator, CurrentOperator, OperatorAuthGuard } from './operator-auth.guard.js';
import { findTenant } from './operator-tenants.js';

export class MoveTenantDto {
  @ApiProperty({
    description: 'the server to move it to (`GET /api/v1/operator/servers`)',
    minLength: 1,
    maxLength: 40,
  })
  @IsString()
  @Length(1, 40)
  to!: string;

  @ApiPropertyOptional({
    description:
      'by logical replication while the tenant serves, frozen only for the switch (needs wal_level=logical at the source)',
    default: false,
  })
  @Optional()
  @IsBoolean()
  online?: boolean;
}

export class JobAcceptedDto {
  @ApiProperty({ description: 'follow it in `GET /api/v1/operator/jobs`' }) jobId!: string;
}

/** Long operator actions on one tenant, run as jobs: back it up, move it to another server. */
@ApiTags('Operators')
@ApiBearerAuth('operator')
@UseGuards(OperatorAuthGuard)
@Controller('operator/tenants/:slug')
export class OperatorTenantJobsController {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly jobs: JobRunner,
    private readonly servers: DatabaseServers,
  ) {}

  @Post('backup')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  @Operation(
    'backUpFleetTenant',
    'Back a tenant up now (a `backup` job; one at a time per tenant)',
    'ORGANIZATION_NOT_FOUND',
    'INVALID_TRANSITION',
    'NOT_FOUND',
  )
  backUp(
    @CurrentOperator() operator: AuthenticatedOperator,
    @Param('slug') slug: string,
  ): Promise<JobAcceptedDto> {
    return this.queue(operator, slug, 'backup', [], async () => ({}));
  }

  @Post('move')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  @Operation(
    'moveFleetTenant',
    'Move a tenant to another database server (a `move` job; its routes answer 503 while it is copied)',
    'ORGANIZATION_NOT_FOUND',
    'INVALID_TRANSITION',
    'NOT_FOUND',
  )
  move(
    @CurrentOperator() operator: AuthenticatedOperator,
    @Param('slug') slug: string,
    @Body() body: MoveTenantDto,
  ): Promise<JobAcceptedDto> {
    const sameAs = ['to', 'online'];
    return this.queue(operator, slug, 'move', sameAs, async (server) => {
      const target = await this.servers.resolve(body.to).catch(() => null);
      if (!target)
        throw new CommonError(CommonErrorCode.VALIDATION_FAILED, `No database server is named ${body.to}.`);
      if (target.status !== 'active')
        throw new CommonError(CommonErrorCode.INVALID_TRANSITION, `Server ${body.to} is ${target.status}.`);
      if (server === body.to)
        throw new CommonError(CommonErrorCode.INVALID_TRANSITION, `The tenant is on ${body.to} already.`);
      return { to: body.to, online: body.online === true };
    });
  }

  /** Checks, queues the tenant's job (or answers the same one already queued) and records the action. */
  private async queue(
    operator: AuthenticatedOperator,
    slug: string,
    job: JobName & ('backup' | 'move'),
    /** What must match in a job of the tenant already queued (another: 409). */
    sameAs: string[],
    check: (server: string) => Promise<Record<string, unknown>>,
  ): Promise<JobAcceptedDto> {
    const record = { operatorId: operator.id, actor: operator.email, action: job, tenantSlug: slug };
    return recorded(this.core.manager, record, async () => {
      const tenant = await findTenant(this.core, slug);
      if (!tenant) throw new CoreError(CoreErrorCode.ORGANIZATION_NOT_FOUND, 'No such organization.');
      if (tenant.status !== 'active')
        throw new CommonError(
          CommonErrorCode.INVALID_TRANSITION,
          `Only an active tenant can be ${job === 'backup' ? 'backed up' : 'moved'}; this one is ${tenant.status}.`,
        );
      const extra = await check(tenant.server);
      const data = { tenantId: tenant.id, slug, ...extra };
      return { jobId: await this.jobs.sendForTenantOnce(job, data, sameAs) };
    });
  }
}
