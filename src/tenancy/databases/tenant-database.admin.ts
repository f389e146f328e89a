import { hasSqlState, SqlState } from '../../common/errors/postgres-errors.js';
import pg from 'pg';
import { databaseExists, withAdminClient } from '../../database/postgres-admin.js';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';
import { isScramVerifier, scramVerifier, TENANT_SCRAM_ITERATIONS } from '../../database/scram-verifier.js';
import { TenantIdentity } from '../catalog/tenant-identity.js';

/** Owns the template's objects; `REASSIGN OWNED` hands them to each new tenant's role. Never logs in. */
export const TEMPLATE_OWNER_ROLE = 'tenantry_template_owner';

const HEX_PASSWORD = /^[0-9a-f]{64}$/;

async function roleExists(client: pg.ClientBase, role: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  return (rowCount ?? 0) > 0;
}

/**
 * CREATE ROLE … LOGIN, or reset its password when it exists (idempotent). The password is stored as a
 * SCRAM verifier of few iterations (scram-verifier.ts: why that is safe for these passwords).
 */
export async function ensureLoginRole(client: pg.ClientBase, role: string, password: string): Promise<void> {
  // DDL takes no bind parameters: the password is a hex HMAC, checked, and the verifier is checked too.
  if (!HEX_PASSWORD.test(password)) throw new Error('unexpected tenant role password format');
  const verifier = scramVerifier(password, TENANT_SCRAM_ITERATIONS);
  if (!isScramVerifier(verifier)) throw new Error('unexpected SCRAM verifier format');
  const verb = (await roleExists(client, role)) ? 'ALTER' : 'CREATE';
  try {
    await client.query(
      `${verb} ROLE ${quoteIdentifier(role)} LOGIN PASSWORD '${verifier}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
    );
  } catch (err) {
    if (!hasSqlState(err, SqlState.DUPLICATE_OBJECT)) throw err; // created concurrently
  }
}

export async function ensureNologinRole(client: pg.ClientBase, role: string): Promise<void> {
  if (await roleExists(client, role)) return;
  try {
    await client.query(`CREATE ROLE ${quoteIdentifier(role)} NOLOGIN`);
  } catch (err) {
    if (!hasSqlState(err, SqlState.DUPLICATE_OBJECT, SqlState.UNIQUE_VIOLATION)) throw err;
  }
}

/**
 * Creates the tenant database from the template, owned by the tenant's owner role, closed to PUBLIC and
 * open to its login role.
 * Resolves true when it was created now, false when it already existed (a resumed onboarding).
 */
export async function createTenantDatabase(
  admin: pg.ClientBase,
  id: TenantIdentity,
  template: string,
): Promise<boolean> {
  let created = false;
  if (!(await databaseExists(admin, id.dbName))) {
    await admin.query(
      `CREATE DATABASE ${quoteIdentifier(id.dbName)} OWNER ${quoteIdentifier(id.ownerRole)} TEMPLATE ${quoteIdentifier(template)}`,
    );
    created = true;
  }
  await admin.query(`REVOKE ALL ON DATABASE ${quoteIdentifier(id.dbName)} FROM PUBLIC`);
  await admin.query(`GRANT CONNECT ON DATABASE ${quoteIdentifier(id.dbName)} TO ${quoteIdentifier(id.role)}`);
  return created;
}

/** Inside a tenant database (as admin): every object copied from the template goes to the owner role. */
export async function handOverTemplateObjects(inside: pg.ClientBase, id: TenantIdentity): Promise<void> {
  if (!(await roleExists(inside, TEMPLATE_OWNER_ROLE))) return;
  await inside.query(
    `REASSIGN OWNED BY ${quoteIdentifier(TEMPLATE_OWNER_ROLE)} TO ${quoteIdentifier(id.ownerRole)}`,
  );
  await inside.query(`DROP OWNED BY ${quoteIdentifier(TEMPLATE_OWNER_ROLE)}`);
}

/** Removes a tenant's database and roles; missing ones are fine. */
export async function dropTenantDatabase(serverUrl: string, id: TenantIdentity): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(id.dbName)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${quoteIdentifier(id.role)}`);
    await client.query(`DROP ROLE IF EXISTS ${quoteIdentifier(id.readerRole)}`);
    await client.query(`DROP ROLE IF EXISTS ${quoteIdentifier(id.ownerRole)}`);
  });
}

/**
 * Closes the tenant's database to its own roles and ends their sessions (a move's freeze): an unfinished
 * transaction is rolled back, so nothing is acknowledged after this returns. A superuser still reads it.
 */
export async function closeTenantDatabase(admin: pg.ClientBase, id: TenantIdentity): Promise<void> {
  const db = quoteIdentifier(id.dbName);
  await admin.query(`REVOKE CONNECT ON DATABASE ${db} FROM ${quoteIdentifier(id.role)}`);
  if (await roleExists(admin, id.readerRole))
    await admin.query(`REVOKE CONNECT ON DATABASE ${db} FROM ${quoteIdentifier(id.readerRole)}`);
  for (let attempt = 0; ; attempt++) {
    const { rows } = await admin.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname = $1 AND usename = ANY($2)`,
      [id.dbName, [id.role, id.readerRole]],
    );
    if (rows.length === 0) return;
    if (attempt >= 50) throw new Error(`sessions of ${id.role} do not end`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the tenant's database to its login role again (a move undone). */
export async function reopenTenantDatabase(admin: pg.ClientBase, id: TenantIdentity): Promise<void> {
  await admin.query(`GRANT CONNECT ON DATABASE ${quoteIdentifier(id.dbName)} TO ${quoteIdentifier(id.role)}`);
}
