import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type QueryRunner } from 'typeorm';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';
import { LockClass } from '../../database/advisory-lock.js';
import { Organization } from '../catalog/organization.entity.js';
import { TenancyErrors } from '../options/tenancy.errors.js';
import { FleetMigrator, type FleetRow } from './fleet-migrator.service.js';
import { FleetRun, FleetRunTenant, type FleetRunStatus } from './fleet-run.entity.js';
import { type FleetRunReport, runReport } from './fleet-run-reports.js';
import { overRate, planWaves } from './fleet-waves.js';
import { TenantMigrator } from './tenant-migrator.service.js';

export interface FleetRunPlan {
  /** Tenants of the run (all must exist); empty: every active tenant. */
  slugs: string[];
  waves: number[];
  canaries: string[];
  maxFailureRate: number;
  concurrency: number;
  createdBy: string;
}

export interface ExecuteOptions {
  /** Aborted (Ctrl-C): nothing more starts, the run is left paused. */
  signal?: AbortSignal;
  onProgress?: (row: FleetRow, wave: string) => void;
}

/** A run this process holds the executor's lock of (on a core session of its own). */
export interface FleetRunClaim {
  readonly id: string;
  readonly session: QueryRunner;
}

/** How often an executing run looks whether another process paused it. */
const PAUSE_POLL_MS = 250;
const ROW_INSERT_BATCH = 500;

/**
 * Fleet migration runs in waves (docs/reference/fleet-rollouts.md): the plan and every tenant's result are
 * rows of the core database, so any process can list, pause or resume a run. One process at a time executes
 * a run: it holds the run's advisory lock for as long (a process that dies lets go of it with its session,
 * and `resume` takes the run over). Each tenant is migrated by TenantMigrator — one transaction per
 * migration under the tenant's lock — so a tenant a run stopped in is resumed, never half-migrated.
 */
@Injectable()
export class FleetRuns {
  private readonly logger = new Logger(FleetRuns.name);

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly fleet: FleetMigrator,
    private readonly migrator: TenantMigrator,
  ) {}

  /** Plans a run (waves of its tenants, recorded) and returns its id; nothing runs yet. */
  async create(plan: FleetRunPlan): Promise<string> {
    const tenants = await this.fleet.targets(plan.slugs);
    const waves = planWaves(tenants, (t) => t.slug, plan.waves, plan.canaries);
    return this.core.transaction(async (m) => {
      const run = await m.getRepository(FleetRun).save({
        status: 'running',
        createdBy: plan.createdBy,
        targetVersion: this.migrator.latest,
        maxFailureRate: plan.maxFailureRate,
        concurrency: plan.concurrency,
        plan: { waves: plan.waves, canaries: plan.canaries },
        pausedReason: null,
      });
      const rows = waves.flatMap((w) =>
        w.tenants.map((t) => ({
          runId: run.id,
          tenantId: t.id,
          slug: t.slug,
          wave: w.index,
          waveName: w.name,
          fromVersion: t.schemaVersion,
        })),
      );
      for (let i = 0; i < rows.length; i += ROW_INSERT_BATCH)
        await m.getRepository(FleetRunTenant).insert(rows.slice(i, i + ROW_INSERT_BATCH));
      return run.id;
    });
  }

  async report(id: string): Promise<FleetRunReport> {
    const report = await runReport(this.core, id);
    if (!report) throw TenancyErrors.fleetRunNotFound();
    return report;
  }

  /** Pauses a running run: its executor starts nothing more (the tenants in flight finish). */
  async pause(id: string, reason: string): Promise<FleetRunReport> {
    await this.transition(id, 'paused', reason);
    return this.report(id);
  }

  /**
   * Takes a run over to execute it: refused while another process executes it or once it completed.
   * A paused run is running again from here (its failed tenants are retried).
   */
  async claim(id: string): Promise<FleetRunClaim> {
    const report = await this.report(id);
    if (report.status === 'completed')
      throw new CommonError(CommonErrorCode.INVALID_TRANSITION, 'This fleet run has completed.');
    // A build without the run's target (an older instance during a deploy) would find nothing to apply and
    // call every tenant up to date.
    if (report.targetVersion !== this.migrator.latest)
      throw new CommonError(
        CommonErrorCode.INVALID_TRANSITION,
        `This fleet run migrates to ${report.targetVersion ?? 'no migration'}; this build's newest migration ` +
          `is ${this.migrator.latest ?? 'none'}: resume it from a build that has that migration.`,
      );
    const session = this.core.createQueryRunner();
    await session.connect();
    const [{ locked }]: { locked: boolean }[] = await session
      .query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [LockClass.fleetRuns, id])
      .catch(async (err: unknown) => {
        await session.release();
        throw err;
      });
    if (!locked) {
      await session.release();
      throw new CommonError(
        CommonErrorCode.INVALID_TRANSITION,
        'This fleet run is being executed by another process; pause it and wait for that one to stop.',
      );
    }
    await this.core.query(
      `UPDATE fleet_runs SET status = 'running', paused_reason = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
    return { id, session };
  }

  /** Executes a claimed run until it completes or pauses, then lets go of it. */
  async execute(claim: FleetRunClaim, options: ExecuteOptions = {}): Promise<FleetRunStatus> {
    try {
      return await this.executeClaimed(claim.id, options);
    } finally {
      await claim.session
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LockClass.fleetRuns, claim.id])
        .catch(() => undefined);
      await claim.session.release();
    }
  }

  private async executeClaimed(id: string, options: ExecuteOptions): Promise<FleetRunStatus> {
    const run = await this.core.getRepository(FleetRun).findOneByOrFail({ id });
    const waves: { wave: number; wave_name: string; size: number }[] = await this.core.query(
      `SELECT wave, wave_name, count(*)::int AS size FROM fleet_run_tenants WHERE run_id = $1
       GROUP BY wave, wave_name ORDER BY wave`,
      [id],
    );
    for (const wave of waves) {
      const paused = await this.runWave(run, wave.wave, wave.wave_name, wave.size, options);
      if (paused) return 'paused';
    }
    await this.core.query(
      `UPDATE fleet_runs SET status = 'completed', updated_at = now() WHERE id = $1 AND status = 'running'`,
      [id],
    );
    return (await this.report(id)).status;
  }

  /** One wave's pending (and earlier failed) tenants; whether the run is paused after it. */
  private async runWave(
    run: FleetRun,
    wave: number,
    name: string,
    size: number,
    options: ExecuteOptions,
  ): Promise<boolean> {
    const todo = await this.core.getRepository(FleetRunTenant).find({
      where: { runId: run.id, wave, result: In(['pending', 'failed']) },
      order: { slug: 'ASC' },
    });
    const orgs = await this.core.getRepository(Organization).find({
      where: { id: In(todo.map((t) => t.tenantId)), status: In(['active', 'suspended']) },
      order: { slug: 'ASC' },
    });
    const gone = todo.filter((t) => !orgs.some((o) => o.id === t.tenantId)).map((t) => t.tenantId);
    if (gone.length > 0)
      await this.core.query(
        `UPDATE fleet_run_tenants SET result = 'skipped', finished_at = now(), error = 'no longer active'
         WHERE run_id = $1 AND tenant_id = ANY($2::uuid[])`,
        [run.id, gone],
      );
    const stop = new AbortController();
    let reason: string | null = null;
    const pauseWith = (why: string) => {
      reason ??= why;
      stop.abort();
    };
    const onAbort = () => pauseWith('interrupted');
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) onAbort();
    const poll = setInterval(() => {
      void this.statusOf(run.id).then(
        (s) => s === 'paused' && stop.abort(),
        () => undefined,
      );
    }, PAUSE_POLL_MS);
    const ids = new Map(orgs.map((o) => [o.slug, o.id]));
    const writes: Promise<unknown>[] = [];
    let failed = 0;
    try {
      await this.fleet.run(orgs, {
        concurrency: run.concurrency,
        continueOnError: true,
        dryRun: false,
        signal: stop.signal,
        onProgress: (row) => {
          writes.push(this.record(run.id, ids.get(row.slug)!, row));
          options.onProgress?.(row, name);
          if (row.result === 'failed' && overRate(++failed, size, run.maxFailureRate))
            pauseWith(
              `wave ${name}: ${failed} of ${size} tenants failed, over the run's limit of ${run.maxFailureRate * 100}%`,
            );
        },
      });
    } finally {
      clearInterval(poll);
      options.signal?.removeEventListener('abort', onAbort);
      await Promise.all(writes);
    }
    if (!stop.signal.aborted) return false;
    if (reason) await this.transition(run.id, 'paused', reason).catch(() => undefined);
    this.logger.warn({ run: run.id, wave: name, reason: reason ?? 'paused' }, 'fleet run paused');
    return true;
  }

  private record(runId: string, tenantId: string, row: FleetRow): Promise<unknown> {
    if (row.result === 'not-started' || row.result === 'pending') return Promise.resolve();
    return this.core.query(
      `UPDATE fleet_run_tenants SET result = $3, from_version = $4, to_version = $5, error = $6,
         finished_at = now() WHERE run_id = $1 AND tenant_id = $2`,
      [runId, tenantId, row.result, row.from, row.to, row.error?.slice(0, 2000) ?? null],
    );
  }

  private async statusOf(id: string): Promise<FleetRunStatus | undefined> {
    const [row]: { status: FleetRunStatus }[] = await this.core.query(
      'SELECT status FROM fleet_runs WHERE id = $1',
      [id],
    );
    return row?.status;
  }

  /** running → paused; anything else is refused (409), an unknown run is 404. */
  private async transition(id: string, to: 'paused', reason: string): Promise<void> {
    // A CTE so the statement answers rows (TypeORM answers an UPDATE with [rows, count]).
    const changed: unknown[] = await this.core.query(
      `WITH changed AS (UPDATE fleet_runs SET status = $2, paused_reason = $3, updated_at = now()
         WHERE id = $1 AND status = 'running' RETURNING id) SELECT id FROM changed`,
      [id, to, reason],
    );
    if (changed.length > 0) return;
    const status = await this.statusOf(id);
    if (!status) throw TenancyErrors.fleetRunNotFound();
    throw new CommonError(
      CommonErrorCode.INVALID_TRANSITION,
      `A fleet run that is ${status} cannot be paused.`,
    );
  }
}
