import pg from 'pg';
import { databaseExists, withAdminClient } from '../database/postgres-admin.js';
import { quoteIdentifier, withDatabase } from '../database/postgres-identifiers.js';
import { TenantIdentity } from './tenant-identity.js';

/** Owns the template's objects; `REASSIGN OWNED` hands them to each new tenant's role. Never logs in. */
export const TEMPLATE_OWNER_ROLE = 'tenantry_template_owner';

const HEX_PASSWORD = /^[0-9a-f]{64}$/;

async function roleExists(client: pg.Client, role: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  return (rowCount ?? 0) > 0;
}

/** CREATE ROLE … LOGIN, or reset its password when it exists (idempotent). */
export async function ensureLoginRole(client: pg.Client, role: string, password: string): Promise<void> {
  // DDL takes no bind parameters: the password is a hex HMAC, checked before it is inlined.
  if (!HEX_PASSWORD.test(password)) throw new Error('unexpected tenant role password format');
  const verb = (await roleExists(client, role)) ? 'ALTER' : 'CREATE';
  try {
    await client.query(
      `${verb} ROLE ${quoteIdentifier(role)} LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
    );
  } catch (err) {
    if ((err as { code?: string }).code !== '42710') throw err; // created concurrently
  }
}

export async function ensureNologinRole(client: pg.Client, role: string): Promise<void> {
  if (await roleExists(client, role)) return;
  try {
    await client.query(`CREATE ROLE ${quoteIdentifier(role)} NOLOGIN`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42710' && (err as { code?: string }).code !== '23505') throw err;
  }
}

/**
 * Creates the tenant database from the template, owned by the tenant role, closed to PUBLIC, with every
 * object handed from the template owner to the tenant role. Each statement is safe to run again.
 */
export async function createTenantDatabase(
  serverUrl: string,
  id: TenantIdentity,
  template: string,
): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    if (!(await databaseExists(client, id.dbName))) {
      await client.query(
        `CREATE DATABASE ${quoteIdentifier(id.dbName)} OWNER ${quoteIdentifier(id.role)} TEMPLATE ${quoteIdentifier(template)}`,
      );
    }
    await client.query(`REVOKE ALL ON DATABASE ${quoteIdentifier(id.dbName)} FROM PUBLIC`);
  });
  const inside = new pg.Client({ connectionString: withDatabase(serverUrl, id.dbName) });
  await inside.connect();
  try {
    if (await roleExists(inside, TEMPLATE_OWNER_ROLE)) {
      await inside.query(
        `REASSIGN OWNED BY ${quoteIdentifier(TEMPLATE_OWNER_ROLE)} TO ${quoteIdentifier(id.role)}`,
      );
      await inside.query(`DROP OWNED BY ${quoteIdentifier(TEMPLATE_OWNER_ROLE)}`);
    }
  } finally {
    await inside.end();
  }
}

/** Removes a tenant's database and role; missing ones are fine. */
export async function dropTenantDatabase(serverUrl: string, id: TenantIdentity): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(id.dbName)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${quoteIdentifier(id.role)}`);
  });
}
