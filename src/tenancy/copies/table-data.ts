import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';

/** One table's data as COPY moves it: the table and its stored columns, in order. */
export interface TableSpec {
  name: string;
  columns: string[];
}

/**
 * What a copy of a tenant's data needs to know of its source, read at one snapshot: the migrations that built
 * its schema (the copy is built by the same ones), its tables in an order that satisfies every foreign key,
 * and its sequences' positions.
 */
export interface DataSnapshot {
  migrations: string[];
  tables: TableSpec[];
  sequences: Record<string, { value: string; called: boolean }>;
}

/** The engine's own bookkeeping: the copy's migrations write it. */
const NOT_COPIED = new Set(['migrations']);

/**
 * Session settings under which COPY's text is the same on every server and major: UTF-8, ISO dates, UTC,
 * Postgres intervals, exact floats. Both ends of a copy set them.
 */
export const COPY_SETTINGS =
  "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3";

/** Tables ordered so that a table comes after every table its foreign keys point to (Kahn's algorithm). */
export function orderByForeignKeys(tables: string[], references: [string, string][]): string[] {
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const [from, to] of references)
    if (from !== to && deps.has(from) && deps.has(to)) deps.get(from)!.add(to);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...deps.get(t)!].every((d) => placed.has(d)));
    if (ready.length === 0)
      throw new Error(`foreign keys form a cycle among: ${tables.filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of ready) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return ordered;
}

/**
 * Reads the snapshot on an admin session inside the source database. Call inside a `REPEATABLE READ`
 * transaction that then also reads the tables: the data and the sequence positions agree.
 */
export async function readSnapshot(inside: pg.ClientBase): Promise<DataSnapshot> {
  const { rows: migrations } = await inside.query<{ name: string }>(
    'SELECT name FROM migrations ORDER BY "timestamp", id',
  );
  const { rows: columns } = await inside.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      ORDER BY c.relname, a.attnum`,
  );
  const { rows: references } = await inside.query<{ from: string; to: string }>(
    `SELECT conrelid::regclass::text AS from, confrelid::regclass::text AS to
       FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
  );
  const byTable = new Map<string, string[]>();
  for (const { table, column } of columns)
    if (!NOT_COPIED.has(table)) byTable.set(table, [...(byTable.get(table) ?? []), column]);
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  const order = orderByForeignKeys(
    [...byTable.keys()],
    references.map((r) => [unquote(r.from), unquote(r.to)]),
  );
  const { rows: sequenceNames } = await inside.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relname <> 'migrations_id_seq' ORDER BY 1`,
  );
  const sequences: DataSnapshot['sequences'] = {};
  for (const { name } of sequenceNames) {
    const { rows } = await inside.query<{ value: string; called: boolean }>(
      `SELECT last_value::text AS value, is_called AS called FROM public.${quoteIdentifier(name)}`,
    );
    sequences[name] = rows[0];
  }
  return {
    migrations: migrations.map((m) => m.name),
    tables: order.map((name) => ({ name, columns: byTable.get(name)! })),
    sequences,
  };
}

const columnList = (table: TableSpec) => table.columns.map(quoteIdentifier).join(', ');

/** One table's rows as COPY text, from a session inside the source (in its snapshot's transaction). */
export function copyOut(inside: pg.ClientBase, table: TableSpec): Readable {
  return inside.query(copyTo(`COPY public.${quoteIdentifier(table.name)} (${columnList(table)}) TO STDOUT`));
}

/**
 * Loads every table of `snapshot` into the copy, in one transaction as the tenant's owner role (the copy's
 * schema, built by the same migrations, is empty): each table's COPY text comes from `source`, in the
 * snapshot's order, then the sequences are set. Resolves the rows loaded per table.
 */
export async function loadTables(
  inside: pg.ClientBase,
  ownerRole: string,
  snapshot: DataSnapshot,
  source: (table: TableSpec) => Readable | Promise<Readable>,
): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  await inside.query(`${COPY_SETTINGS}; SET ROLE ${quoteIdentifier(ownerRole)}; BEGIN`);
  try {
    // What the migrations seeded (counters, say) gives way to the source's rows.
    if (snapshot.tables.length > 0)
      await inside.query(
        `TRUNCATE ${snapshot.tables.map((t) => `public.${quoteIdentifier(t.name)}`).join(', ')}`,
      );
    for (const table of snapshot.tables) {
      const sink = inside.query(
        copyFrom(`COPY public.${quoteIdentifier(table.name)} (${columnList(table)}) FROM STDIN`),
      );
      await pipeline(await source(table), sink);
      rows[table.name] = sink.rowCount;
    }
    for (const [name, { value, called }] of Object.entries(snapshot.sequences))
      await inside.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [
        `public.${quoteIdentifier(name)}`,
        value,
        called,
      ]);
    await inside.query('COMMIT');
  } catch (err) {
    await inside.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await inside.query('RESET ROLE').catch(() => undefined);
  }
  return rows;
}
