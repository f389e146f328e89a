import type pg from 'pg';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';

/** What a copy of a tenant database must have of the original: every table's rows, and the audit log itself. */
export interface CopyFingerprint {
  /** Rows per table of the public schema. */
  rows: Record<string, number>;
  /** An order-free checksum of every row of each append-only table (the audit log), in a canonical format. */
  checksums: Record<string, string>;
}

/**
 * Which rows of an append-only table a checksum covers: all of them, or (an online move) those created before
 * or from `at` — `created_at < at` is fixed once every transaction that started before `at` has ended, so it
 * can be compared while the tenant still serves, and only the rows from `at` on while it is frozen.
 */
export type ChecksumPart = { all: true } | { before: Date } | { from: Date };

const SUM = `coalesce(sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint::numeric), 0)::text`;

/** An order-free checksum (no sort: the sum of each row's md5 as a number) of one append-only table's part. */
async function checksum(inside: pg.ClientBase, table: string, part: ChecksumPart): Promise<string> {
  const where = 'all' in part ? '' : `WHERE t.created_at ${'before' in part ? '<' : '>='} $1`;
  const params = 'all' in part ? [] : ['before' in part ? part.before : part.from];
  const { rows } = await inside.query<{ sum: string }>(
    `SELECT ${SUM} AS sum FROM ${table} t ${where}`,
    params,
  );
  return rows[0].sum;
}

/**
 * Read on an admin session inside the database (both sides of a move, each on its own server): every table's
 * rows, and the checksum of `part` of each append-only one (one with no `created_at` column: all of it).
 */
export async function fingerprint(
  inside: pg.ClientBase,
  appendOnly: readonly string[],
  part: ChecksumPart = { all: true },
): Promise<CopyFingerprint> {
  // Row text depends on the session's time zone and date style: both sides read it the same way.
  await inside.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3`);
  const { rows: tables } = await inside.query<{ name: string; dated: boolean }>(
    `SELECT c.relname AS name, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
              AND a.attname = 'created_at' AND NOT a.attisdropped) AS dated
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const result: CopyFingerprint = { rows: {}, checksums: {} };
  for (const { name, dated } of tables) {
    const table = `public.${quoteIdentifier(name)}`;
    const { rows } = await inside.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    result.rows[name] = Number(rows[0].n);
    if (appendOnly.includes(name))
      result.checksums[name] = await checksum(inside, table, dated ? part : { all: true });
  }
  return result;
}

/** The differences between two fingerprints, as sentences; empty when the copy is faithful. */
export function compareFingerprints(source: CopyFingerprint, copy: CopyFingerprint): string[] {
  const problems: string[] = [];
  const tables = new Set([...Object.keys(source.rows), ...Object.keys(copy.rows)]);
  for (const table of tables)
    if (source.rows[table] !== copy.rows[table])
      problems.push(
        `${table}: ${source.rows[table] ?? 'missing'} rows at the source, ${copy.rows[table] ?? 'missing'} in the copy`,
      );
  for (const [table, sum] of Object.entries(source.checksums))
    if (copy.checksums[table] !== sum) problems.push(`${table}: checksums differ`);
  return problems;
}
