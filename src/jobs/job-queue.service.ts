import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import PgBoss from 'pg-boss';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { JOB_QUEUE_CONNECTIONS } from '../tenancy/index.js';

/** The pg-boss schema in the core database. */
export const JOB_SCHEMA = 'pgboss';

/**
 * pg-boss on the core database: queues with retries and back-off, `SKIP LOCKED` fetching, expiry of jobs
 * whose instance died, and cron schedules run once per cluster (its cron monitor takes a database-wide
 * turn). The CLI starts it without cron or supervision: it only sends jobs and reads their state.
 */
@Injectable()
export class JobQueue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private instance?: PgBoss;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
  ) {}

  /** False from the start of shutdown: a job fetched after that is not started (see JobRunner). */
  get running(): boolean {
    return this.instance !== undefined && !this.stopping;
  }

  get boss(): PgBoss {
    if (!this.instance) throw new Error('the job queue is not started');
    return this.instance;
  }

  async onModuleInit(): Promise<void> {
    const background = this.config.runWorkers;
    const monitor = this.config.jobs.monitorSeconds;
    const boss = new PgBoss({
      connectionString: this.coreUrl,
      schema: JOB_SCHEMA,
      max: JOB_QUEUE_CONNECTIONS,
      application_name: 'tenantry-jobs',
      schedule: background,
      supervise: background,
      cronMonitorIntervalSeconds: monitor,
      maintenanceIntervalSeconds: monitor,
      // Finished jobs stay readable (jobs:list, maintenance status) for a week, then go to the archive.
      archiveCompletedAfterSeconds: 7 * 86_400,
      archiveFailedAfterSeconds: 7 * 86_400,
    });
    boss.on('error', (err) => this.logger.warn({ err: err.message }, 'job queue error'));
    await boss.start();
    this.instance = boss;
  }

  /**
   * Before the tenant pools close: stops fetching, lets running jobs finish (bounded), then closes its pool
   * — only once no worker waits for one of its connections. pg-boss would end the pool at once, and a
   * worker whose fetch was still queued for a connection of the ended pool then waits forever (pg-pool
   * never answers it), and pg-boss polls for that worker every second for the life of the process.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.instance;
    if (!boss || this.stopping) return;
    // No new job starts from here; the ones running may still complete or fail theirs (boss stays usable).
    this.stopping = true;
    await boss.stop({ graceful: true, wait: true, timeout: 10_000, close: false }).catch(() => undefined);
    const db = boss.getDb() as unknown as { pool?: pg.Pool; close(): Promise<void> };
    for (
      let waited = 0;
      waited < 5_000 && db.pool && db.pool.waitingCount + db.pool.totalCount - db.pool.idleCount > 0;
      waited += 20
    )
      await sleep(20);
    await db.close().catch(() => undefined);
    this.instance = undefined;
  }
}
