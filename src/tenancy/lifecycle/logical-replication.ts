import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';
import type { DataSnapshot } from '../copies/table-data.js';

/**
 * The Postgres logical replication an online move (TenantOnlineMover) sets up and always takes down again:
 * a publication in the tenant's source database, a subscription (and its slot on the source) in the copy, and
 * a one-row marker table in a schema of its own (`tenantry_move`) on both sides, whose rows tell when the copy
 * has applied everything committed before them (apply is in commit order). Names derive from the tenant id,
 * so a rerun finds what a killed mover left.
 */
export const replicationName = (tenantId: string): string => `tenantry_move_${tenantId.replace(/-/g, '')}`;

const MARKER_SCHEMA = 'tenantry_move';
const MARKER_TABLE = `${MARKER_SCHEMA}.marker`;
const MARKER_DDL = `CREATE SCHEMA IF NOT EXISTS ${MARKER_SCHEMA};
  CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (token uuid PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`;

/** Why the source cannot publish the tenant (null: it can). */
export async function publishingProblem(source: pg.ClientBase): Promise<string | null> {
  const level = (await source.query<{ v: string }>(`SELECT current_setting('wal_level') AS v`)).rows[0].v;
  if (level !== 'logical') return `wal_level is ${level}, not logical`;
  const { rows } = await source.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'migrations'
        AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)`,
  );
  if (rows.length > 0) return `tables without a primary key: ${rows.map((r) => r.name).join(', ')}`;
  return null;
}

/** In the source database (an admin session): the marker table, and a publication of every copied table. */
export async function publish(
  source: pg.ClientBase,
  tenantId: string,
  snapshot: DataSnapshot,
): Promise<void> {
  const name = quoteIdentifier(replicationName(tenantId));
  await source.query(MARKER_DDL);
  await source.query(`DROP PUBLICATION IF EXISTS ${name}`);
  const tables = [...snapshot.tables.map((t) => `public.${quoteIdentifier(t.name)}`), MARKER_TABLE];
  await source.query(`CREATE PUBLICATION ${name} FOR TABLE ${tables.join(', ')}`);
}

/** In the copy (an admin session): the marker table and the subscription, which copies the rows and follows. */
export async function subscribe(copy: pg.ClientBase, tenantId: string, sourceUrl: string): Promise<void> {
  const name = replicationName(tenantId);
  await copy.query(MARKER_DDL);
  await copy.query(
    `CREATE SUBSCRIPTION ${quoteIdentifier(name)} CONNECTION '${sourceUrl.replace(/'/g, "''")}'
       PUBLICATION ${quoteIdentifier(name)} WITH (slot_name = '${name}', copy_data = true)`,
  );
}

/** The move's own slot, and the table-sync slots its subscription makes (`pg_<sub oid>_sync_<rel>_<system id>`). */
const OURS = `(slot_name = $2 OR slot_name ~ '^pg_[0-9]+_sync_')`;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until every table's initial copy is done (`pg_subscription_rel` ready). Throws on the subscription's
 * own errors (a conflict, a broken connection) instead of waiting for ever.
 */
export async function waitForInitialCopy(
  copy: pg.ClientBase,
  tenantId: string,
  progress: (pending: number) => void,
): Promise<void> {
  const name = replicationName(tenantId);
  for (let round = 0; ; round++) {
    const { rows } = await copy.query<{ pending: number; errors: number }>(
      `SELECT (SELECT count(*)::int FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate NOT IN ('r', 's')) AS pending,
              (SELECT coalesce(sum(apply_error_count + sync_error_count), 0)::int FROM pg_stat_subscription_stats t WHERE t.subid = s.oid) AS errors
         FROM pg_subscription s WHERE s.subname = $1`,
      [name],
    );
    if (!rows[0]) throw new Error('the subscription is gone');
    if (rows[0].errors > 0) throw new Error('the subscription failed to copy or apply changes (server log)');
    if (rows[0].pending === 0) return;
    if (round % 20 === 0) progress(rows[0].pending);
    await pause(100);
  }
}

/**
 * Commits a marker row at the source and waits until the copy has it: every transaction committed at the
 * source before it is then applied in the copy. Resolves the milliseconds it took.
 */
export async function catchUp(
  source: pg.ClientBase,
  copy: pg.ClientBase,
  timeoutMs: number,
): Promise<number> {
  const token = randomUUID();
  const started = Date.now();
  await source.query(`INSERT INTO ${MARKER_TABLE} (token) VALUES ($1)`, [token]);
  while (Date.now() - started < timeoutMs) {
    const { rowCount } = await copy.query(`SELECT 1 FROM ${MARKER_TABLE} WHERE token = $1`, [token]);
    if (rowCount) return Date.now() - started;
    await pause(10);
  }
  throw new Error(`the copy did not catch up within ${timeoutMs} ms`);
}

/**
 * A time before which every row of the source is committed for good: the start of its oldest transaction
 * still running (or now), less a second for a transaction that began as this was read. Rows created before it
 * (`created_at` defaults to the inserting transaction's start) can be compared while the tenant serves.
 */
export async function settledBefore(source: pg.ClientBase): Promise<Date> {
  const { rows } = await source.query<{ cut: Date }>(
    `SELECT least(now(), coalesce(min(xact_start), now())) - interval '1 second' AS cut
       FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
  );
  return rows[0].cut;
}

/** The source's sequence positions into the copy (logical replication carries rows, not sequences). */
export async function copySequences(
  source: pg.ClientBase,
  copy: pg.ClientBase,
  snapshot: DataSnapshot,
): Promise<void> {
  for (const name of Object.keys(snapshot.sequences)) {
    const seq = `public.${quoteIdentifier(name)}`;
    const { rows } = await source.query<{ value: string; called: boolean }>(
      `SELECT last_value::text AS value, is_called AS called FROM ${seq}`,
    );
    await copy.query('SELECT setval($1::regclass, $2::bigint, $3)', [seq, rows[0].value, rows[0].called]);
  }
}

/** Ends the replication after a verified catch-up: the subscription (and its slot) dropped, the marker gone. */
export async function unsubscribe(copy: pg.ClientBase, tenantId: string): Promise<void> {
  await copy.query(`DROP SUBSCRIPTION IF EXISTS ${quoteIdentifier(replicationName(tenantId))}`);
  await copy.query(`DROP SCHEMA IF EXISTS ${MARKER_SCHEMA} CASCADE`);
}

/**
 * Takes down whatever an interrupted online move left, on both servers: the subscription in the copy
 * (`targetDb`, when the copy's database exists), detached from its slot first (the source may be
 * unreachable); every replication slot on the tenant's source database (`sourceServer`, its maintenance
 * database), their walsenders ended first; the publication and marker in the source (`sourceDb`, when it
 * exists). Idempotent.
 */
export async function dropReplication(
  tenantId: string,
  dbName: string,
  sides: {
    sourceServer: pg.ClientBase;
    sourceDb?: pg.ClientBase;
    targetDb?: pg.ClientBase;
  },
): Promise<void> {
  const name = quoteIdentifier(replicationName(tenantId));
  const { targetDb, sourceServer, sourceDb } = sides;
  if (targetDb) {
    const { rowCount } = await targetDb.query('SELECT 1 FROM pg_subscription WHERE subname = $1', [
      replicationName(tenantId),
    ]);
    if (rowCount) {
      await targetDb.query(`ALTER SUBSCRIPTION ${name} DISABLE`);
      await targetDb.query(`ALTER SUBSCRIPTION ${name} SET (slot_name = NONE)`);
      await targetDb.query(`DROP SUBSCRIPTION ${name}`);
    }
  }
  for (let attempt = 0; ; attempt++) {
    await sourceServer.query(
      `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND ${OURS} AND active_pid IS NOT NULL`,
      [dbName, replicationName(tenantId)],
    );
    await sourceServer
      .query(
        `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND ${OURS} AND active_pid IS NULL`,
        [dbName, replicationName(tenantId)],
      )
      .catch(() => undefined);
    const { rowCount } = await sourceServer.query(
      `SELECT 1 FROM pg_replication_slots WHERE database = $1 AND ${OURS}`,
      [dbName, replicationName(tenantId)],
    );
    if (!rowCount) break;
    if (attempt >= 50) throw new Error(`replication slots on ${dbName} do not go away`);
    await pause(100);
  }
  if (sourceDb) {
    await sourceDb.query(`DROP PUBLICATION IF EXISTS ${name}`);
    await sourceDb.query(`DROP SCHEMA IF EXISTS ${MARKER_SCHEMA} CASCADE`);
  }
}
