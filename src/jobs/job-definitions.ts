import { type CatalogEntry } from '../tenancy/index.js';

/** The scheduled jobs (contract, "Jobs"), by the name the CLI and the schedules use. */
export const SCHEDULED_JOBS = [
  'draft-cleanup',
  'weekly-report',
  'token-cleanup',
  'tenant-purge',
  'backup',
] as const;
export type ScheduledJob = (typeof SCHEDULED_JOBS)[number];
/** Scheduled jobs with a cluster part only (no fan-out to tenants): `tenant-purge` works on the catalog. */
export const CLUSTER_ONLY_JOBS: readonly ScheduledJob[] = ['tenant-purge'];
/**
 * Every job `jobs:run` knows; `low-stock-alerts` is sent per crossing, `maintenance`, `export` and `move` per
 * request (an owner's or an operator's); `backup` on its schedule and per request.
 */
export const JOB_NAMES = [...SCHEDULED_JOBS, 'low-stock-alerts', 'maintenance', 'export', 'move'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** What one tenant's part of a run reports (kept as the pg-boss job's output). */
export type TenantJobOutput = object;

/** The payload of one tenant's job. */
export interface TenantJobData {
  tenantId: string;
  slug: string;
  /** The trigger's job id (a scheduled run or `jobs:run`); absent for per-event jobs. */
  runId?: string;
  [extra: string]: unknown;
}

/**
 * A job: an optional cluster-wide part (run once by the trigger, e.g. the core database's token cleanup),
 * and a per-tenant part that the trigger fans out to every active tenant (or the named ones). The parts
 * are registered separately by the modules that own the data (`JobRegistry.define`).
 */
export interface JobParts {
  cluster?: () => Promise<TenantJobOutput>;
  tenant?: (tenant: CatalogEntry, data: TenantJobData) => Promise<TenantJobOutput>;
}

/** pg-boss queue names: the trigger, and the per-tenant fan-out. */
export const triggerQueue = (name: JobName): string => name;
export const tenantQueue = (name: JobName): string => `${name}.tenant`;
