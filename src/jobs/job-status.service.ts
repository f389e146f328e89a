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

export interface QueueCounts {
  name: string;
  queued: number;
  active: number;
  failed: number;
  completed: number;
}

export interface RecentJob {
  id: string;
  queue: string;
  state: string;
  createdAt: string;
  completedAt: string | null;
  error: string | null;
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

  /** Per queue: jobs waiting, running, failed and completed (live and archived). */
  async queues(): Promise<QueueCounts[]> {
    return this.core.query(
      `SELECT name, count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS queued,
         count(*) FILTER (WHERE state = 'active')::int AS active,
         count(*) FILTER (WHERE state = 'failed')::int AS failed,
         count(*) FILTER (WHERE state = 'completed')::int AS completed
       FROM (SELECT name, state FROM ${JOB_SCHEMA}.job UNION ALL SELECT name, state FROM ${JOB_SCHEMA}.archive) j
       GROUP BY name ORDER BY name`,
    );
  }

  /** The newest jobs of every queue, newest first, with a failed job's error. */
  async recent(limit: number): Promise<RecentJob[]> {
    const columns = `id, name, state, created_on, completed_on, output`;
    const rows: {
      id: string;
      name: string;
      state: string;
      created_on: Date;
      completed_on: Date | null;
      output: { message?: unknown } | null;
    }[] = await this.core.query(
      `(SELECT ${columns} FROM ${JOB_SCHEMA}.job ORDER BY created_on DESC LIMIT $1)
       UNION ALL (SELECT ${columns} FROM ${JOB_SCHEMA}.archive ORDER BY created_on DESC LIMIT $1)
       ORDER BY created_on DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      queue: r.name,
      state: r.state,
      createdAt: new Date(r.created_on).toISOString(),
      completedAt: r.completed_on ? new Date(r.completed_on).toISOString() : null,
      error: r.state === 'failed' ? String(r.output?.message ?? 'failed').slice(0, 500) : null,
    }));
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
      const configured = scheduled ? this.config.jobs.schedules[name as ScheduledJob] : null;
      const cron = configured === 'off' ? null : configured;
      out.push({
        name,
        schedule: cron
          ? `${cron} (UTC)`
          : configured === 'off'
            ? 'off'
            : name === 'low-stock-alerts'
              ? 'on each crossing'
              : 'on request',
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
