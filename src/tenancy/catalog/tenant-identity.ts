import { createHmac } from 'node:crypto';

/**
 * Names and credentials of a tenant's database and roles, derived from its id (a UUID chosen by the
 * service), never from user input. The login role's password is an HMAC of the id, so it is never stored.
 *
 * Two roles per tenant (docs/reference/security.md): `ownerRole` (NOLOGIN) owns the database, its schema and every
 * table, and is the role migrations run as (`SET ROLE` on an admin session); `role` is the login role the
 * service connects as, with DML only — it can neither alter nor truncate a table, nor touch the audit log
 * beyond appending to it.
 */
export interface TenantIdentity {
  dbName: string;
  role: string;
  ownerRole: string;
  /** Login role with SELECT only, read-only by default: what `tenants:run` queries as (made on first use). */
  readerRole: string;
}

export function tenantIdentity(tenantId: string): TenantIdentity {
  const hex = tenantId.toLowerCase().replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error('tenant id must be a UUID');
  const name = `t_${hex}`;
  return { dbName: name, role: name, ownerRole: `${name}_owner`, readerRole: `${name}_reader` };
}

export function tenantRolePassword(dbSecret: string, tenantId: string): string {
  return createHmac('sha256', dbSecret).update(`tenant-role:${tenantId}`).digest('hex');
}

/** The reader role's password: another HMAC of the id, so neither password tells the other. */
export function tenantReaderPassword(dbSecret: string, tenantId: string): string {
  return createHmac('sha256', dbSecret).update(`tenant-reader:${tenantId}`).digest('hex');
}

/** The server URL with the tenant's role and database in place of the admin's. */
export function tenantDatabaseUrl(serverUrl: string, tenantId: string, dbSecret: string): string {
  const { dbName, role } = tenantIdentity(tenantId);
  const url = new URL(serverUrl);
  url.username = role;
  url.password = tenantRolePassword(dbSecret, tenantId);
  url.pathname = `/${dbName}`;
  return url.toString();
}
