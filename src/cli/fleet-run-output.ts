import type { FleetFailure, FleetRunReport } from '../tenancy/index.js';
import { formatTable } from './table.js';

/** A run's waves as a table, its status line, and its failed tenants. */
export function printRun(run: FleetRunReport, failures: FleetFailure[]): void {
  console.log(
    formatTable(
      ['wave', 'tenants', 'migrated', 'up to date', 'failed', 'skipped', 'pending'],
      run.waves.map((w) => [
        w.name,
        String(w.tenants),
        String(w.migrated),
        String(w.upToDate),
        String(w.failed),
        String(w.skipped),
        String(w.pending),
      ]),
    ),
  );
  console.log(
    `\nrun ${run.id}: ${run.status}${run.pausedReason ? ` (${run.pausedReason})` : ''} — ` +
      `${run.totals.tenants} tenants, ${run.totals.migrated} migrated, ${run.totals.upToDate} up to date, ` +
      `${run.totals.failed} failed, ${run.totals.pending} pending`,
  );
  for (const f of failures) console.log(`  failed in wave ${f.wave}: ${f.slug}: ${f.error ?? ''}`);
  if (run.status === 'paused') console.log(`resume with: migrate:resume ${run.id}`);
}

/** Exit code of a run's execution: 0 completed, 3 paused (contract: a wave over the rate pauses the run). */
export const exitCodeOf = (run: FleetRunReport): number => (run.status === 'paused' ? 3 : 0);
