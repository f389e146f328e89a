import type { DataSource } from 'typeorm';
import type { FleetRunStatus } from './fleet-run.entity.js';

export interface FleetCounts {
  tenants: number;
  migrated: number;
  upToDate: number;
  failed: number;
  skipped: number;
  pending: number;
}

export interface FleetWaveReport extends FleetCounts {
  index: number;
  name: string;
}

export interface FleetRunReport {
  id: string;
  status: FleetRunStatus;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  targetVersion: string | null;
  maxFailureRate: number;
  concurrency: number;
  pausedReason: string | null;
  waves: FleetWaveReport[];
  totals: FleetCounts;
}

export interface FleetFailure {
  slug: string;
  wave: string;
  error: string | null;
  at: string | null;
}

interface RunRow {
  id: string;
  status: FleetRunStatus;
  created_at: Date;
  updated_at: Date;
  created_by: string;
  target_version: string | null;
  max_failure_rate: number;
  concurrency: number;
  paused_reason: string | null;
}

interface WaveRow {
  run_id: string;
  wave: number;
  wave_name: string;
  tenants: number;
  migrated: number;
  up_to_date: number;
  failed: number;
  skipped: number;
  pending: number;
}

const WAVES = `SELECT run_id, wave, wave_name, count(*)::int AS tenants,
    count(*) FILTER (WHERE result = 'migrated')::int AS migrated,
    count(*) FILTER (WHERE result = 'up-to-date')::int AS up_to_date,
    count(*) FILTER (WHERE result = 'failed')::int AS failed,
    count(*) FILTER (WHERE result = 'skipped')::int AS skipped,
    count(*) FILTER (WHERE result = 'pending')::int AS pending
  FROM fleet_run_tenants WHERE run_id = ANY($1::uuid[]) GROUP BY run_id, wave, wave_name ORDER BY run_id, wave`;

const RUNS = `SELECT id, status, created_at, updated_at, created_by, target_version, max_failure_rate, concurrency,
  paused_reason FROM fleet_runs`;

const counts = (w: WaveRow): FleetCounts => ({
  tenants: w.tenants,
  migrated: w.migrated,
  upToDate: w.up_to_date,
  failed: w.failed,
  skipped: w.skipped,
  pending: w.pending,
});

function sum(waves: FleetCounts[]): FleetCounts {
  const total: FleetCounts = { tenants: 0, migrated: 0, upToDate: 0, failed: 0, skipped: 0, pending: 0 };
  for (const w of waves) for (const k of Object.keys(total) as (keyof FleetCounts)[]) total[k] += w[k];
  return total;
}

/** Runs with their waves' progress: two statements whatever the number of runs. */
async function reports(core: DataSource, runs: RunRow[]): Promise<FleetRunReport[]> {
  const waves: WaveRow[] = runs.length === 0 ? [] : await core.query(WAVES, [runs.map((r) => r.id)]);
  return runs.map((r) => {
    const own = waves
      .filter((w) => w.run_id === r.id)
      .map((w) => ({ index: w.wave, name: w.wave_name, ...counts(w) }));
    return {
      id: r.id,
      status: r.status,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      createdBy: r.created_by,
      targetVersion: r.target_version,
      maxFailureRate: r.max_failure_rate,
      concurrency: r.concurrency,
      pausedReason: r.paused_reason,
      waves: own,
      totals: sum(own),
    };
  });
}

/** The most recent runs, newest first. */
export async function recentRuns(core: DataSource, limit: number): Promise<FleetRunReport[]> {
  return reports(core, await core.query(`${RUNS} ORDER BY created_at DESC, id LIMIT $1`, [limit]));
}

export async function runReport(core: DataSource, id: string): Promise<FleetRunReport | null> {
  const [report] = await reports(core, await core.query(`${RUNS} WHERE id = $1`, [id]));
  return report ?? null;
}

/** The run's failed tenants with their errors, wave order. */
export async function runFailures(core: DataSource, id: string, limit = 500): Promise<FleetFailure[]> {
  const rows: { slug: string; wave_name: string; error: string | null; finished_at: Date | null }[] =
    await core.query(
      `SELECT slug, wave_name, error, finished_at FROM fleet_run_tenants
       WHERE run_id = $1 AND result = 'failed' ORDER BY wave, slug LIMIT $2`,
      [id, limit],
    );
  return rows.map((r) => ({
    slug: r.slug,
    wave: r.wave_name,
    error: r.error,
    at: r.finished_at?.toISOString() ?? null,
  }));
}
