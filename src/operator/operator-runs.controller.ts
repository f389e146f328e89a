import { Controller, Get, HttpCode, Logger, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Operation } from '../common/openapi/operation.js';
import { JobStatus } from '../jobs/job-status.service.js';
import { FleetRuns, recentRuns, runFailures, TenancyErrors } from '../tenancy/index.js';
import { recorded } from './operator-actions.js';
import { type AuthenticatedOperator, CurrentOperator, OperatorAuthGuard } from './operator-auth.guard.js';
import { FleetRunDetailDto, FleetRunDto, OperatorJobsDto } from './operator-runs.dto.js';

const RECENT_RUNS = 50;
const actor = (operator: AuthenticatedOperator, action: string) => ({
  operatorId: operator.id,
  actor: operator.email,
  action,
});
const RECENT_JOBS = 50;
/** An id that is not a UUID names no run: 404, as an unknown one. */
const runIdPipe = new ParseUUIDPipe({ exceptionFactory: () => TenancyErrors.fleetRunNotFound() });

/** Fleet migration runs (pause, resume) and the job queues, as operators see them. */
@ApiTags('Operators')
@ApiBearerAuth('operator')
@UseGuards(OperatorAuthGuard)
@Controller('operator')
export class OperatorRunsController {
  private readonly logger = new Logger(OperatorRunsController.name);

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly runs: FleetRuns,
    private readonly jobs: JobStatus,
  ) {}

  @Get('fleet-runs')
  @ApiOkResponse({ type: [FleetRunDto] })
  @Operation('listFleetRuns', 'The 50 most recent fleet migration runs with their waves', 'NOT_FOUND')
  list(): Promise<FleetRunDto[]> {
    return recentRuns(this.core, RECENT_RUNS);
  }

  @Get('fleet-runs/:id')
  @ApiOkResponse({ type: FleetRunDetailDto })
  @Operation('getFleetRun', 'One fleet run: its waves and failed tenants', 'FLEET_RUN_NOT_FOUND', 'NOT_FOUND')
  async get(@Param('id', runIdPipe) id: string): Promise<FleetRunDetailDto> {
    return { ...(await this.runs.report(id)), failures: await runFailures(this.core, id) };
  }

  @Post('fleet-runs/:id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: FleetRunDto })
  @Operation(
    'pauseFleetRun',
    'Pause a running fleet run: whichever process executes it starts no more tenants',
    'FLEET_RUN_NOT_FOUND',
    'INVALID_TRANSITION',
    'NOT_FOUND',
  )
  pause(
    @CurrentOperator() operator: AuthenticatedOperator,
    @Param('id', runIdPipe) id: string,
  ): Promise<FleetRunDto> {
    return recorded(this.core.manager, actor(operator, 'fleet-run-pause'), () =>
      this.runs.pause(id, `paused by ${operator.email}`),
    );
  }

  @Post('fleet-runs/:id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: FleetRunDto })
  @Operation(
    'resumeFleetRun',
    'Resume a paused fleet run in this instance (its failed tenants are retried, then the next waves)',
    'FLEET_RUN_NOT_FOUND',
    'INVALID_TRANSITION',
    'NOT_FOUND',
  )
  resume(
    @CurrentOperator() operator: AuthenticatedOperator,
    @Param('id', runIdPipe) id: string,
  ): Promise<FleetRunDto> {
    return recorded(this.core.manager, actor(operator, 'fleet-run-resume'), async () => {
      const claim = await this.runs.claim(id);
      // Executed here in the background; its progress is the run's rows (GET /fleet-runs/:id).
      void this.runs
        .execute(claim)
        .catch((err: Error) =>
          this.logger.error({ run: id, err: err.message }, 'fleet run stopped on an error'),
        );
      return this.runs.report(id);
    });
  }

  @Get('jobs')
  @ApiOkResponse({ type: OperatorJobsDto })
  @Operation('listJobs', 'The job queues (waiting, running, failed, done) and the newest jobs', 'NOT_FOUND')
  async listJobs(): Promise<OperatorJobsDto> {
    const [queues, recent] = await Promise.all([this.jobs.queues(), this.jobs.recent(RECENT_JOBS)]);
    return { queues, recent };
  }
}
