import { userInfo } from 'node:os';
import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { FleetRuns, recentRuns, runFailures } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { exitCodeOf, printRun } from './fleet-run-output.js';
import { formatTable } from './table.js';

/** Who a CLI action is recorded as: the machine user. */
export const cliActor = (): string => `cli:${userInfo().username}`;

/** Executes a run this process claimed, printing each tenant; sets the exit code (0 completed, 3 paused). */
export async function executeRun(runs: FleetRuns, core: DataSource, id: string): Promise<void> {
  const claim = await runs.claim(id);
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\npausing after the tenants in flight (Ctrl-C again to force)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    await runs.execute(claim, {
      signal: abort.signal,
      onProgress: (row, wave) =>
        console.log(`[${wave}] ${row.slug}: ${row.result}${row.error ? ` (${row.error})` : ''}`),
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  const run = await runs.report(id);
  console.log('');
  printRun(run, await runFailures(core, id));
  process.exitCode = exitCodeOf(run);
}

@Command({ name: 'migrate:runs', description: 'List the recent fleet migration runs with their waves.' })
export class MigrateRunsCommand extends CommandRunner {
  constructor(@InjectDataSource() private readonly core: DataSource) {
    super();
  }

  @Option({ flags: '--limit <n>', description: 'how many runs (default 20)' })
  parseLimit(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw new Error('--limit must be an integer from 1 to 1000');
    return n;
  }

  async run(_params: string[], options: { limit?: number } = {}): Promise<void> {
    await assertCoreCurrent(this.core);
    const runs = await recentRuns(this.core, options.limit ?? 20);
    if (runs.length === 0) return console.log('no fleet runs');
    console.log(
      formatTable(
        ['run', 'status', 'started', 'by', 'waves', 'done', 'failed', 'pending'],
        runs.map((r) => [
          r.id,
          r.status,
          r.createdAt,
          r.createdBy,
          r.waves.map((w) => w.name).join(' '),
          String(r.totals.migrated + r.totals.upToDate),
          String(r.totals.failed),
          String(r.totals.pending),
        ]),
      ),
    );
  }
}

@Command({
  name: 'migrate:pause',
  arguments: '<run>',
  description: 'Pause a fleet run: its executor, in whatever process, starts no more tenants.',
})
export class MigratePauseCommand extends CommandRunner {
  constructor(
    private readonly runs: FleetRuns,
    @InjectDataSource() private readonly core: DataSource,
  ) {
    super();
  }

  async run([id]: string[]): Promise<void> {
    await assertCoreCurrent(this.core);
    const run = await this.runs.pause(runId(id), `paused by ${cliActor()}`);
    console.log(`run ${run.id}: ${run.status}`);
  }
}

@Command({
  name: 'migrate:resume',
  arguments: '<run>',
  description:
    'Resume a paused (or abandoned) fleet run here: failed tenants are retried, then the next waves.',
})
export class MigrateResumeCommand extends CommandRunner {
  constructor(
    private readonly runs: FleetRuns,
    @InjectDataSource() private readonly core: DataSource,
  ) {
    super();
  }

  async run([id]: string[]): Promise<void> {
    await assertCoreCurrent(this.core);
    await executeRun(this.runs, this.core, runId(id));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function runId(text: string | undefined): string {
  if (!text || !UUID.test(text))
    throw new Error(`a run id is a UUID (migrate:runs lists them), got: ${text ?? ''}`);
  return text.toLowerCase();
}
