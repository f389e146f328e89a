import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import { DataSource, In } from 'typeorm';
import { CommonError, CommonErrorCode } from '../common/errors/error-code.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Organization, TenantCatalog, TenantRunner } from '../tenancy/index.js';
import {
  JOB_NAMES,
  type JobName,
  SCHEDULED_JOBS,
  type TenantJobData,
  type TenantJobOutput,
  tenantQueue,
  triggerQueue,
} from './job-definitions.js';
import { JOB_SCHEMA, JobQueue } from './job-queue.service.js';
import { LockClass, lockForTransaction } from '../database/advisory-lock.js';
import { JobRegistry } from './job-registry.js';
import { JobMetrics } from './job.metrics.js';

/** The payload of a trigger: a scheduled run (no slugs: every active tenant) or `jobs:run`. */
interface TriggerData {
  slugs?: string[];
}

/**
 * Runs jobs on pg-boss. A trigger (the cron schedule, `jobs:run`) runs the job's cluster part once, then
 * fans its tenant part out as one pg-boss job per tenant: those are fetched with `SKIP LOCKED` by
 * `JOB_CONCURRENCY` workers per instance, retried with exponential back-off (a failed tenant never stops
 * the others), and, when the instance running one dies, expired after `JOB_EXPIRE_SECONDS` and retried by
 * another instance. docs/reference/operations.md.
 */
/**
 * A backup is not retried (a failed verification would only take another full backup; the failure shows on
 * the job and the backup's row) and may run for hours at its pace (BACKUP_MAX_MB_PER_SECOND): it expires
 * after 6 hours, not after JOB_EXPIRE_SECONDS, so no second instance starts it while the first still works.
 */
const TENANT_QUEUE_OVERRIDES: Partial<Record<JobName, Partial<PgBoss.Queue>>> = {
  backup: { retryLimit: 0, expireInSeconds: 6 * 3600 },
};

@Injectable()
export class JobRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly core: DataSource,
    private readonly queue: JobQueue,
    private readonly registry: JobRegistry,
    private readonly catalog: TenantCatalog,
    private readonly runner: TenantRunner,
    private readonly metrics: JobMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.createQueues();
    if (!this.config.runWorkers) return;
    for (const name of SCHEDULED_JOBS) {
      const cron = this.config.jobs.schedules[name];
      if (cron === 'off') await this.queue.boss.unschedule(triggerQueue(name));
      else await this.queue.boss.schedule(triggerQueue(name), cron, {}, { tz: 'UTC' });
    }
    await this.work(JOB_NAMES);
  }

  /** Every queue, created once per cluster; an existing tenant queue takes this instance's retry and expiry. */
  async createQueues(): Promise<void> {
    const boss = this.queue.boss;
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    for (const name of JOB_NAMES) {
      if (!existing.has(triggerQueue(name)))
        await this.createOnce(triggerQueue(name), { name: triggerQueue(name), retryLimit: 2 });
      const tenant = {
        name: tenantQueue(name),
        retryLimit: 3,
        retryDelay: 5,
        retryBackoff: true,
        expireInSeconds: this.config.jobs.expireSeconds,
        ...(TENANT_QUEUE_OVERRIDES[name] ?? {}),
      };
      if (existing.has(tenant.name)) await boss.updateQueue(tenant.name, tenant);
      else await this.createOnce(tenant.name, tenant);
    }
  }

  /** Another instance starting at the same moment may create it first: then it exists, which is the aim. */
  private async createOnce(name: string, options: PgBoss.Queue): Promise<void> {
    try {
      await this.queue.boss.createQueue(name, options);
    } catch (err) {
      if (!(await this.queue.boss.getQueue(name))) throw err;
    }
  }

  /**
   * Starts this process's workers for `names`: per job, one on its trigger queue and one on its tenant
   * queue fetching up to JOB_CONCURRENCY tenants at once, each completed or failed on its own.
   */
  async work(names: readonly JobName[]): Promise<void> {
    const boss = this.queue.boss;
    const polling = { pollingIntervalSeconds: 2 };
    for (const name of names) {
      await boss.work<TriggerData>(triggerQueue(name), polling, ([job]) => this.onTrigger(name, job));
      await boss.work<TenantJobData>(
        tenantQueue(name),
        { ...polling, batchSize: this.config.jobs.concurrency },
        (jobs) => this.onTenantBatch(name, jobs),
      );
    }
  }

  private async onTenantBatch(name: JobName, jobs: PgBoss.Job<TenantJobData>[]): Promise<void> {
    this.refuseWhenStopping();
    const queue = tenantQueue(name);
    await Promise.all(
      jobs.map(async (job) => {
        try {
          const output = await this.onTenant(name, job.data);
          await this.queue.boss.complete(queue, job.id, output);
        } catch (err) {
          this.logger.warn(
            { job: name, tenant: job.data.slug, err: (err as Error).message },
            'tenant job failed',
          );
          await this.queue.boss.fail(queue, job.id, { message: (err as Error).message });
        }
      }),
    );
  }

  /** Starts a run now (`jobs:run`): its id, under which its tenants' jobs can be followed. */
  async trigger(name: JobName, slugs: string[] = []): Promise<string> {
    const id = await this.queue.boss.send(triggerQueue(name), { slugs } satisfies TriggerData);
    if (!id) throw new Error(`job ${name} could not be queued`);
    return id;
  }

  /** Queues one tenant's part of a job directly (per-event jobs: low-stock alerts, maintenance). */
  async sendForTenant(name: JobName, data: TenantJobData, options: PgBoss.SendOptions = {}): Promise<string> {
    const id = await this.queue.boss.send(tenantQueue(name), data, options);
    if (!id) throw new Error(`job ${name} could not be queued`);
    return id;
  }

  /**
   * Like `sendForTenant`, but at most one job of `name` per tenant is queued or running at a time: while one
   * is, its id is returned and nothing new is queued (owner-started maintenance and exports). The check and
   * the send are serialised per (job, tenant) by an advisory lock on the core database, across instances.
   * `sameAs`: the fields that make two requests the same; an open job that differs in one of them is
   * refused (409 INVALID_TRANSITION), not answered as if it were the one asked for.
   */
  async sendForTenantOnce(name: JobName, data: TenantJobData, sameAs: string[] = []): Promise<string> {
    return this.core.transaction(async (m) => {
      await lockForTransaction(m, { lockClass: LockClass.tenantJobs, id: `${name}:${data.tenantId}` });
      const [open]: { id: string; data: Record<string, unknown> }[] = await m.query(
        `SELECT id, data FROM ${JOB_SCHEMA}.job
          WHERE name = $1 AND state IN ('created', 'retry', 'active') AND data->>'tenantId' = $2
          ORDER BY created_on LIMIT 1`,
        [tenantQueue(name), data.tenantId],
      );
      if (!open) return this.sendForTenant(name, data);
      const asked = data as unknown as Record<string, unknown>;
      const differs = sameAs.filter((field) => open.data[field] !== asked[field]);
      if (differs.length > 0)
        throw new CommonError(
          CommonErrorCode.INVALID_TRANSITION,
          `Another ${name} of this tenant is queued or running (job ${open.id}, ` +
            `${differs.map((f) => `${f}: ${JSON.stringify(open.data[f])}`).join(', ')}); wait for it to end.`,
        );
      return open.id;
    });
  }

  /**
   * A fetch that was in flight when shutdown began can still hand jobs over after pg-boss closed its pool:
   * they are not started (their pg-boss rows stay active until expiry, and another instance retries them),
   * so nothing outlives the instance's shutdown.
   */
  private refuseWhenStopping(): void {
    if (!this.queue.running)
      throw new Error('this instance is shutting down; the job is left to expire and retry');
  }

  private async onTrigger(name: JobName, job: PgBoss.Job<TriggerData>): Promise<TenantJobOutput> {
    this.refuseWhenStopping();
    const parts = this.registry.get(name);
    return this.metrics.time(name, 'cluster', async () => {
      const clusterOutput = parts.cluster ? await parts.cluster() : {};
      if (!parts.tenant) return clusterOutput;
      const tenants = await this.targets(job.data?.slugs ?? []);
      if (tenants.length > 0)
        await this.queue.boss.insert(
          tenants.map((t) => ({
            name: tenantQueue(name),
            data: { tenantId: t.id, slug: t.slug, runId: job.id } satisfies TenantJobData,
          })),
        );
      this.logger.log({ job: name, runId: job.id, tenants: tenants.length }, 'job fanned out');
      return { ...clusterOutput, tenants: tenants.length };
    });
  }

  private async onTenant(name: JobName, data: TenantJobData): Promise<TenantJobOutput> {
    const work = this.registry.get(name).tenant;
    if (!work) throw new Error(`job ${name} has no tenant part`);
    return this.metrics.time(name, 'tenant', async () => {
      if (this.config.testHooks.jobHoldMs > 0) await sleep(this.config.testHooks.jobHoldMs);
      const tenant = await this.catalog.findBySlug(data.slug);
      // Deleted or suspended since the fan-out: nothing to do, and nothing to retry.
      if (!tenant || tenant.id !== data.tenantId || tenant.status !== 'active') return { skipped: true };
      return this.runner.run(tenant.slug, () => work(tenant, data));
    });
  }

  /** The named tenants (each must exist and be active), or every active tenant. */
  private async targets(slugs: string[]): Promise<Organization[]> {
    const repo = this.core.getRepository(Organization);
    const where =
      slugs.length > 0 ? { status: 'active' as const, slug: In(slugs) } : { status: 'active' as const };
    return repo.find({ where, select: { id: true, slug: true }, order: { slug: 'ASC' } });
  }
}
