import type pg from 'pg';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';
import { ensureLoginRole, ensureNologinRole, handOverTemplateObjects } from './tenant-database.admin.js';
import type { TenantIdentity } from '../catalog/tenant-identity.js';

/** The engine's own bookkeeping table: the login role reads it (pending migrations), never writes it. */
const READ_ONLY_TABLES = ['migrations'];

/**
 * Run as an admin inside the tenant's database. A tenant built before the role split has its login role
 * owning the database and every table: its objects go to a new owner role (NOLOGIN). True when the runtime
 * grants must be (re)written: it converted something now, or an earlier run stopped before the grants.
 */
export async function separateTenantRoles(inside: pg.ClientBase, id: TenantIdentity): Promise<boolean> {
  const { rows } = await inside.query<{ owner: string; granted: boolean }>(
    `SELECT pg_get_userbyid(datdba) AS owner,
            coalesce(has_table_privilege($1, to_regclass('public.migrations'), 'SELECT'), false) AS granted
       FROM pg_database WHERE datname = current_database()`,
    [id.role],
  );
  if (rows[0]?.owner !== id.role) return !rows[0]?.granted;
  await ensureNologinRole(inside, id.ownerRole);
  // Objects of this database and the database itself (a shared object) change owner in one statement.
  await inside.query(`REASSIGN OWNED BY ${quoteIdentifier(id.role)} TO ${quoteIdentifier(id.ownerRole)}`);
  await inside.query(
    `GRANT CONNECT ON DATABASE ${quoteIdentifier(id.dbName)} TO ${quoteIdentifier(id.role)}`,
  );
  return true;
}

/** A session that runs SQL: a `pg` client (resolves `{ rows }`) or a TypeORM query runner (resolves rows). */
interface SqlSession {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Run as an admin inside the tenant's database, after its objects belong to the owner role: the login role
 * gets DML on every table and the sequences, nothing on the schema but USAGE, SELECT + INSERT on
 * `appendOnly` tables and SELECT on the engine's own. Tables the owner role creates later (a migration)
 * get the same DML by default privileges. Idempotent.
 */
export async function grantRuntimePrivileges(
  inside: pg.ClientBase,
  id: TenantIdentity,
  appendOnly: readonly string[],
): Promise<void> {
  const owner = quoteIdentifier(id.ownerRole);
  const login = quoteIdentifier(id.role);
  // One round trip after the look-up (the simple protocol runs the statements in order, in one implicit
  // transaction).
  await inside.query(
    [
      `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA public TO ${login}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${login}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${login}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${login}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${login}`,
      // Every restriction: the GRANT above gives back what an earlier REVOKE took.
      ...(await restrictions(inside, id, appendOnly, false)),
    ].join(';\n'),
  );
}

/**
 * The part of the runtime grants a migration can undo: a table it (re)creates gets full DML from the
 * default privileges, so the append-only and read-only tables' restrictions are written again inside every
 * migration's transaction (as the owner role, or an admin). One round trip to find which of the tables
 * the login role holds more on than it should, a second only when some do (plain REVOKEs: a DO block would
 * load and compile PL/pgSQL in each new session, ~7 ms, once per tenant in a fleet run).
 */
export async function restrictRuntimePrivileges(
  session: SqlSession,
  id: TenantIdentity,
  appendOnly: readonly string[],
): Promise<void> {
  const statements = await restrictions(session, id, appendOnly, true);
  if (statements.length > 0) await session.query(statements.join(';\n'));
}

/** The REVOKEs of the restrictions on the tables that exist (`onlyHeld`: only where the role holds more). */
async function restrictions(
  session: SqlSession,
  id: TenantIdentity,
  appendOnly: readonly string[],
  onlyHeld: boolean,
): Promise<string[]> {
  const wanted: [string, string][] = [
    ...appendOnly.map((t): [string, string] => [t, 'UPDATE, DELETE, TRUNCATE']),
    ...READ_ONLY_TABLES.map((t): [string, string] => [t, 'INSERT, UPDATE, DELETE, TRUNCATE']),
  ];
  // `onlyHeld`: in the common case (a migration that loosened nothing) there is nothing to revoke, and no
  // catalog row is rewritten (a REVOKE rewrites the table's ACL even when it changes nothing).
  const result = await session.query(
    `SELECT c.relname, w.privileges FROM pg_class c
       JOIN unnest($1::text[], $2::text[]) AS w(relname, privileges) ON w.relname = c.relname
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
        AND (NOT $4::boolean OR has_table_privilege($3::text, c.oid, w.privileges))`,
    [wanted.map(([table]) => table), wanted.map(([, privileges]) => privileges), id.role, onlyHeld],
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    relname: string;
    privileges: string;
  }[];
  // Table names come from the application's configuration and the engine, never from a request.
  return rows.map(
    ({ relname, privileges }) =>
      `REVOKE ${privileges} ON ${quoteIdentifier(relname)} FROM ${quoteIdentifier(id.role)}`,
  );
}

/** A database just copied from the template: its objects go to the owner role, the login role gets DML. */
export async function takeOverTemplateCopy(
  inside: pg.ClientBase,
  id: TenantIdentity,
  appendOnly: readonly string[],
): Promise<void> {
  await handOverTemplateObjects(inside, id);
  await grantRuntimePrivileges(inside, id, appendOnly);
}

/**
 * Run as an admin inside the tenant's database: the reader role (LOGIN, password given) exists, may connect,
 * and may SELECT every table — nothing else, and its transactions are read-only by default. Grants are
 * rewritten on every call, so tables a later migration added are covered. Idempotent.
 */
export async function grantReaderAccess(
  inside: pg.ClientBase,
  id: TenantIdentity,
  password: string,
): Promise<void> {
  await ensureLoginRole(inside, id.readerRole, password);
  const reader = quoteIdentifier(id.readerRole);
  await inside.query(
    [
      `ALTER ROLE ${reader} SET default_transaction_read_only = on`,
      `GRANT CONNECT ON DATABASE ${quoteIdentifier(id.dbName)} TO ${reader}`,
      `GRANT USAGE ON SCHEMA public TO ${reader}`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`,
    ].join(';\n'),
  );
}
