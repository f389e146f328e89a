import { InjectDataSource } from '@nestjs/typeorm';
import { SingleBar } from 'cli-progress';
import { Command, CommandRunner, Option } from 'nest-commander';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { boundedMap } from '../common/async/bounded-map.js';
import { FleetMigrator, TenantReadQuery } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { collectSlugs, parseConcurrency } from './options.js';
import { QueryOutput, type OutputFormat } from './query-output.js';

interface Options {
  sql?: string;
  tenant?: string[];
  concurrency?: number;
  format?: OutputFormat;
  timeout?: number;
  maxRows?: number;
}

/** Rows one tenant may return before its cursor is closed (`--max-rows`). */
const DEFAULT_MAX_ROWS = 10_000;

@Command({
  name: 'tenants:run',
  description:
    'Run one read-only SQL statement in every active tenant (or the named ones); each row starts with the slug.',
})
export class TenantsRunCommand extends CommandRunner {
  constructor(
    private readonly fleet: FleetMigrator,
    private readonly reader: TenantReadQuery,
    @InjectDataSource() private readonly core: DataSource,
  ) {
    super();
  }

  @Option({ flags: '--sql <statement>', description: 'the statement, or @file to read it from a file' })
  parseSql(value: string): string {
    return value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  }

  @Option({ flags: '--tenant <slug>', description: 'a tenant (repeatable); default: all active' })
  parseTenant(value: string, previous: string[] = []): string[] {
    return collectSlugs(value, previous);
  }

  @Option({ flags: '--concurrency <n>', description: 'tenants at once (default 4)' })
  parseConcurrency(value: string): number {
    return parseConcurrency(value);
  }

  @Option({ flags: '--format <format>', description: 'table (default), csv or json (one object a line)' })
  parseFormat(value: string): OutputFormat {
    if (value !== 'table' && value !== 'csv' && value !== 'json')
      throw new Error('--format must be table, csv or json');
    return value;
  }

  @Option({ flags: '--timeout <ms>', description: 'statement timeout per tenant (default 30000)' })
  parseTimeout(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error('--timeout must be a positive integer (ms)');
    return n;
  }

  @Option({
    flags: '--max-rows <n>',
    description: `rows per tenant at most; past it the tenant's output stops (default ${DEFAULT_MAX_ROWS})`,
  })
  parseMaxRows(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error('--max-rows must be a positive integer');
    return n;
  }

  async run(_params: string[], options: Options = {}): Promise<void> {
    const sql = options.sql?.trim();
    if (!sql) throw new Error('--sql is required');
    await assertCoreCurrent(this.core);
    const tenants = await this.fleet.targets(options.tenant ?? []);
    const output = new QueryOutput(options.format ?? 'table');
    // Rows go to stdout; progress and failures to stderr, so the output can be piped as it is.
    const bar = process.stderr.isTTY
      ? new SingleBar({ format: ' {bar} {value}/{total} tenants | {slug}', stream: process.stderr })
      : undefined;
    bar?.start(tenants.length, 0, { slug: '' });
    const failures: { slug: string; error: string }[] = [];
    const truncated: string[] = [];
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    let done = 0;
    try {
      await boundedMap(tenants, options.concurrency ?? 4, async (tenant) => {
        try {
          const read = await this.reader.run(tenant, sql, {
            timeoutMs: options.timeout ?? 30_000,
            maxRows,
            onRows: (batch) => output.add(tenant.slug, batch),
          });
          if (read.truncated) truncated.push(tenant.slug);
        } catch (err) {
          failures.push({ slug: tenant.slug, error: (err as Error).message });
          if (!bar) process.stderr.write(`${tenant.slug}: failed: ${(err as Error).message}\n`);
        }
        bar?.update(++done, { slug: tenant.slug });
      });
    } finally {
      bar?.stop();
    }
    await output.end();
    for (const f of bar ? failures : []) process.stderr.write(`${f.slug}: failed: ${f.error}\n`);
    for (const slug of truncated)
      process.stderr.write(`${slug}: stopped at ${maxRows} rows (--max-rows to change)\n`);
    process.stderr.write(
      `${tenants.length} tenants: ${tenants.length - failures.length} answered, ${failures.length} failed\n`,
    );
    if (failures.length > 0) process.exitCode = 1;
  }
}
