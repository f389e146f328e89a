import type { Stringifier } from 'csv-stringify';
import { safeCsv } from '../common/csv/safe-csv.js';
import { type ReadResult } from '../tenancy/index.js';
import { formatTable } from './table.js';

export type OutputFormat = 'table' | 'csv' | 'json';

const cell = (value: unknown): string | number | boolean | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return value as string | number | boolean;
};

/**
 * Rows of many tenants, each prefixed with its slug: a table printed at the end (sorted by tenant), or CSV
 * (formula cells neutralised like every CSV the service writes) and JSON lines streamed as tenants answer.
 */
export class QueryOutput {
  private columns?: string[];
  private readonly buffered: { slug: string; rows: unknown[][] }[] = [];
  private csv?: Stringifier;

  constructor(private readonly format: OutputFormat) {}

  add(slug: string, result: ReadResult): void {
    this.columns ??= ['tenant', ...result.columns];
    if (this.format === 'table') this.buffered.push({ slug, rows: result.rows });
    else if (this.format === 'json')
      for (const row of result.rows)
        process.stdout.write(
          `${JSON.stringify(Object.fromEntries([['tenant', slug], ...result.columns.map((c, i) => [c, cell(row[i])])]))}\n`,
        );
    else {
      if (!this.csv) {
        this.csv = safeCsv({ header: true, columns: this.columns });
        this.csv.pipe(process.stdout);
      }
      for (const row of result.rows) this.csv.write([slug, ...row.map(cell)]);
    }
  }

  async end(): Promise<void> {
    if (this.csv) {
      const csv = this.csv;
      await new Promise<void>((resolve) => {
        csv.on('end', resolve);
        csv.end();
      });
    }
    if (this.format !== 'table' || !this.columns) return;
    const rows = this.buffered
      .sort((a, b) => a.slug.localeCompare(b.slug))
      .flatMap(({ slug, rows }) => rows.map((row) => [slug, ...row.map((v) => cell(v)?.toString() ?? null)]));
    process.stdout.write(`${formatTable(this.columns, rows)}\n`);
  }
}
