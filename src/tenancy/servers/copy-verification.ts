import type pg from 'pg';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';

/** What a copy of a tenant database must have of the original: every table's rows, and the audit log itself. */
export interface CopyFingerprint {
  /** Rows per table of the public schema. */
  rows: Record<string, number>;
  /** An order-free checksum of every row of each append-only table (the audit log), in a canonical format. */
  checksums: Record<string, string>;
}

/** Read on an admin session inside the database (both sides of a move, each on its own server). */
export async function fingerprint(
  inside: pg.ClientBase,
  appendOnly: readonly string[],
): Promise<CopyFingerprint> {
  // Row text depends on the session's time zone and date style: both sides read it the same way.
  await inside.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3`);
  const { rows: tables } = await inside.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const result: CopyFingerprint = { rows: {}, checksums: {} };
  for (const { name } of tables) {
    const table = `public.${quoteIdentifier(name)}`;
    if (appendOnly.includes(name)) {
      // Order-free (no sort): the sum of each row's md5 as a number; one changed, missing or extra row shows.
      const { rows } = await inside.query<{ n: string; sum: string }>(
        `SELECT count(*) AS n, coalesce(sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint::numeric), 0)::text AS sum
           FROM ${table} t`,
      );
      result.rows[name] = Number(rows[0].n);
      result.checksums[name] = rows[0].sum;
    } else {
      const { rows } = await inside.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      result.rows[name] = Number(rows[0].n);
    }
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
