import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import cronParser from 'cron-parser';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import {
  JOB_NAMES,
  type JobName,
  SCHEDULED_JOBS,
  type ScheduledJob,
  tenantQueue,
  triggerQueue,
} from './job-definitions.js';
import { JOB_SCHEMA } from './job-queue.service.js';

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface JobRecord {
  id: string;
  state: JobState;
  data: Record<string, unknown>;
  output: Record<string, unknown> | null;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
}

/** Tenant jobs of one run, by state. */
export type RunTally = Partial<Record<JobState, number>>;

export interface JobSummary {
  name: JobName;
  schedule: string;
  lastRun: Date | null;
  result: string;
  nextRun: Date | null;
}

const COLUMNS = `id, state, data, output, created_on AS "createdOn", started_on AS "startedOn",
                 completed_on AS "completedOn"`;

/** Reads job state from pg-boss's tables (live and archived), for the CLI and the owner's routes. */
@Injectable()
export class JobStatus {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly core: DataSource,
  ) {}

  /** A job of `queue` by id, live or archived; null when unknown. */
  async find(queue: string, id: string): Promise<JobRecord | null> {
    const rows: JobRecord[] = await this.core.query(
      `SELECT ${COLUMNS} FROM ${JOB_SCHEMA}.job WHERE name = $1 AND id = $2
       UNION ALL SELECT ${COLUMNS} FROM ${JOB_SCHEMA}.archive WHERE name = $1 AND id = $2`,
      [queue, id],
    );
    return rows[0] ?? null;
  }

  /** The newest job of `queue`. */
  async latest(queue: string): Promise<JobRecord | null> {
    const rows: JobRecord[] = await this.core.query(
      `(SELECT ${COLUMNS} FROM ${JOB_SCHEMA}.job WHERE name = $1 ORDER BY created_on DESC LIMIT 1)
       UNION ALL (SELECT ${COLUMNS} FROM ${JOB_SCHEMA}.archive WHERE name = $1 ORDER BY created_on DESC LIMIT 1)
       ORDER BY "createdOn" DESC LIMIT 1`,
      [queue],
    );
    return rows[0] ?? null;
  }

  /** The tenant jobs a run fanned out, by state. */
  async tally(name: JobName, runId: string): Promise<RunTally> {
    const rows: { state: JobState; n: number }[] = await this.core.query(
      `SELECT state, count(*)::int AS n FROM (
         SELECT state FROM ${JOB_SCHEMA}.job WHERE name = $1 AND data->>'runId' = $2
         UNION ALL SELECT state FROM ${JOB_SCHEMA}.archive WHERE name = $1 AND data->>'runId' = $2) s
       GROUP BY state`,
      [tenantQueue(name), runId],
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** The tenant jobs of a run: tenant, state and output (or error). */
  async jobsOfRun(
    name: JobName,
    runId: string,
  ): Promise<{ slug: string; state: JobState; output: unknown }[]> {
    return this.core.query(
      `SELECT data->>'slug' AS slug, state, output FROM (
         SELECT data, state, output FROM ${JOB_SCHEMA}.job WHERE name = $1 AND data->>'runId' = $2
         UNION ALL SELECT data, state, output FROM ${JOB_SCHEMA}.archive WHERE name = $1 AND data->>'runId' = $2) s
       ORDER BY 1`,
      [tenantQueue(name), runId],
    );
  }

  /** `jobs:list`: schedule, last run, its result, next run. */
  async summaries(now = new Date()): Promise<JobSummary[]> {
    const out: JobSummary[] = [];
    for (const name of JOB_NAMES) {
      const scheduled = (SCHEDULED_JOBS as readonly string[]).includes(name);
      const last = await this.latest(scheduled ? triggerQueue(name) : tenantQueue(name));
      let result = last ? last.state : 'never run';
      if (last && scheduled) {
        const tally = await this.tally(name, last.id);
        const parts = Object.entries(tally).map(([state, n]) => `${n} ${state}`);
        if (parts.length > 0) result = `${last.state}; tenants: ${parts.join(', ')}`;
      }
      const cron = scheduled ? this.config.jobs.schedules[name as ScheduledJob] : null;
      out.push({
        name,
        schedule: cron ? `${cron} (UTC)` : name === 'low-stock-alerts' ? 'on each crossing' : 'on request',
        lastRun: last?.createdOn ?? null,
        result,
        nextRun: cron
          ? cronParser.parseExpression(cron, { tz: 'UTC', currentDate: now }).next().toDate()
          : null,
      });
    }
    return out;
  }
}
