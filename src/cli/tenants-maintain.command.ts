import {
  type TenantLocation,
  FleetMigrator,
  type MaintenanceOperation,
  TenantMaintenance,
} from '../tenancy/index.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { boundedMap } from '../common/async/bounded-map.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { collectSlugs, parseConcurrency } from './options.js';
import { formatTable } from './table.js';

interface Options {
  tenant?: string[];
  concurrency?: number;
  analyze?: boolean;
  vacuum?: boolean;
  reindex?: boolean;
}

interface Row {
  slug: string;
  ms: number;
  result: string;
}

@Command({
  name: 'tenants:maintain',
  description: 'ANALYZE, VACUUM and/or REINDEX (CONCURRENTLY) the named tenants, or every active tenant.',
})
export class TenantsMaintainCommand extends CommandRunner {
  constructor(
    private readonly fleet: FleetMigrator,
    private readonly maintenance: TenantMaintenance,
    @InjectDataSource() private readonly core: DataSource,
  ) {
    super();
  }

  @Option({ flags: '--tenant <slug>', description: 'a tenant (repeatable); default: all active' })
  parseTenant(value: string, previous: string[] = []): string[] {
    return collectSlugs(value, previous);
  }

  @Option({ flags: '--concurrency <n>', description: 'tenants at once (default 2)' })
  parseConcurrency(value: string): number {
    return parseConcurrency(value);
  }

  @Option({ flags: '--analyze', description: 'refresh planner statistics' })
  parseAnalyze(): boolean {
    return true;
  }

  @Option({ flags: '--vacuum', description: 'VACUUM (outside a transaction; takes no exclusive lock)' })
  parseVacuum(): boolean {
    return true;
  }

  @Option({ flags: '--reindex', description: 'REINDEX SCHEMA CONCURRENTLY' })
  parseReindex(): boolean {
    return true;
  }

  async run(_params: string[], options: Options = {}): Promise<void> {
    await assertCoreCurrent(this.core);
    const operations = (['analyze', 'vacuum', 'reindex'] as const).filter((op) => options[op]);
    if (operations.length === 0) throw new Error('name at least one of --analyze, --vacuum, --reindex');
    const tenants = await this.fleet.targets(options.tenant ?? []);
    const started = Date.now();
    let done = 0;
    const rows = await boundedMap(tenants, options.concurrency ?? 2, async (tenant) => {
      const row = await this.one(tenant, tenant.slug, operations);
      console.log(`[${++done}/${tenants.length}] ${row.slug}: ${row.result} (${row.ms} ms)`);
      return row;
    });
    const report = rows.filter((r): r is Row => !!r);
    console.log(
      `\n${formatTable(
        ['tenant', 'time', 'result'],
        report.map((r) => [r.slug, `${r.ms} ms`, r.result]),
      )}`,
    );
    const failed = report.filter((r) => r.result.startsWith('failed')).length;
    console.log(
      `\n${report.length} tenants in ${Date.now() - started} ms (${operations.join(', ')}): ` +
        `${report.length - failed} done, ${failed} failed`,
    );
    if (failed > 0) process.exitCode = 1;
  }

  private async one(tenant: TenantLocation, slug: string, operations: MaintenanceOperation[]): Promise<Row> {
    const started = Date.now();
    try {
      await this.maintenance.maintain(tenant, operations);
      return { slug, ms: Date.now() - started, result: 'done' };
    } catch (err) {
      return { slug, ms: Date.now() - started, result: `failed: ${(err as Error).message}` };
    }
  }
}
