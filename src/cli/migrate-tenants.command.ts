import { InjectDataSource } from '@nestjs/typeorm';
import { SingleBar } from 'cli-progress';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { FleetMigrator, FleetRow, FleetRuns, parseFailureRate, parseWaves } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { cliActor, executeRun } from './migrate-runs.commands.js';
import { collectSlugs, parseConcurrency } from './options.js';
import { formatTable, versionOf } from './table.js';

interface Options {
  tenant?: string[];
  concurrency?: number;
  continueOnError?: boolean;
  dryRun?: boolean;
  waves?: number[];
  canary?: string[];
  maxFailureRate?: number;
}

@Command({
  name: 'migrate:tenants',
  description: 'Run pending tenant migrations on the named tenants, or on every active tenant.',
})
export class MigrateTenantsCommand extends CommandRunner {
  constructor(
    private readonly fleet: FleetMigrator,
    private readonly runs: FleetRuns,
    @InjectDataSource() private readonly core: DataSource,
  ) {
    super();
  }

  @Option({ flags: '--tenant <slug>', description: 'a tenant to migrate (repeatable); default: all active' })
  parseTenant(value: string, previous: string[] = []): string[] {
    return collectSlugs(value, previous);
  }

  @Option({ flags: '--concurrency <n>', description: 'tenants migrated at once (default 4)' })
  parseConcurrency(value: string): number {
    return parseConcurrency(value);
  }

  @Option({ flags: '--continue-on-error', description: 'go on with the other tenants when one fails' })
  parseContinue(): boolean {
    return true;
  }

  @Option({ flags: '--dry-run', description: 'list the pending migrations per tenant, run nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({
    flags: '--waves <percentages>',
    description: 'a recorded run in waves: cumulative percentages of the tenants, e.g. 1,10,50,100',
  })
  parseWaves(value: string): number[] {
    return parseWaves(value);
  }

  @Option({
    flags: '--canary <slug>',
    description: 'a tenant migrated first, in a wave of its own (repeatable)',
  })
  parseCanary(value: string, previous: string[] = []): string[] {
    return collectSlugs(value, previous);
  }

  @Option({
    flags: '--max-failure-rate <rate>',
    description: 'failures a wave may have (0 to 1; default 0: any failure pauses the run, exit code 3)',
  })
  parseMaxFailureRate(value: string): number {
    return parseFailureRate(value);
  }

  async run(_params: string[], options: Options = {}): Promise<void> {
    await assertCoreCurrent(this.core);
    if (options.waves || options.canary || options.maxFailureRate !== undefined) {
      if (options.dryRun || options.continueOnError)
        throw new Error('--dry-run and --continue-on-error do not apply to a run in waves');
      const id = await this.runs.create({
        slugs: options.tenant ?? [],
        waves: options.waves ?? [100],
        canaries: options.canary ?? [],
        maxFailureRate: options.maxFailureRate ?? 0,
        concurrency: options.concurrency ?? 4,
        createdBy: cliActor(),
      });
      console.log(`fleet run ${id}`);
      return executeRun(this.runs, this.core, id);
    }
    const tenants = await this.fleet.targets(options.tenant ?? []);
    const abort = new AbortController();
    const onSigint = () => {
      if (!abort.signal.aborted)
        process.stderr.write('\nstopping after the tenants in flight (Ctrl-C again to force)\n');
      else process.exit(130);
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    const bar =
      process.stdout.isTTY && !options.dryRun
        ? new SingleBar({ format: ' {bar} {value}/{total} tenants | {slug}' })
        : undefined;
    bar?.start(tenants.length, 0, { slug: '' });
    const started = Date.now();
    let rows: FleetRow[];
    try {
      rows = await this.fleet.run(tenants, {
        concurrency: options.concurrency ?? 4,
        continueOnError: options.continueOnError ?? false,
        dryRun: options.dryRun ?? false,
        signal: abort.signal,
        onProgress: (row, done, total) => {
          if (bar) bar.update(done, { slug: row.slug });
          else console.log(`[${done}/${total}] ${row.slug}: ${describe(row)}`);
        },
      });
    } finally {
      bar?.stop();
      process.off('SIGINT', onSigint);
    }
    this.report(rows, options.dryRun ?? false, Date.now() - started);
    if (rows.some((r) => r.result === 'failed')) process.exitCode = 1;
    else if (abort.signal.aborted) process.exitCode = 130;
  }

  private report(rows: FleetRow[], dryRun: boolean, ms: number): void {
    console.log('');
    if (dryRun) {
      console.log(
        formatTable(
          ['tenant', 'version', 'pending migrations'],
          rows.map((r) => [r.slug, versionOf(r.from), r.migrations.join(', ') || '-']),
        ),
      );
    } else {
      console.log(
        formatTable(
          ['tenant', 'from', 'to', 'time', 'result'],
          rows.map((r) => [
            r.slug,
            versionOf(r.from),
            versionOf(r.to),
            `${r.ms} ms`,
            r.error ? `failed: ${r.error}` : r.result,
          ]),
        ),
      );
    }
    const count = (result: FleetRow['result']) => rows.filter((r) => r.result === result).length;
    console.log(
      `\n${rows.length} tenants in ${ms} ms: ${count('migrated')} migrated, ${count('up-to-date')} up to date, ` +
        `${count('pending')} pending, ${count('failed')} failed, ${count('not-started')} not started`,
    );
  }
}

function describe(row: FleetRow): string {
  if (row.result === 'failed') return `failed (${row.error})`;
  if (row.result === 'pending') return `pending: ${row.migrations.join(', ')}`;
  if (row.result === 'migrated') return `${versionOf(row.from)} → ${versionOf(row.to)} (${row.ms} ms)`;
  return row.result;
}
