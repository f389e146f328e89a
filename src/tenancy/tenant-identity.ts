import { createHmac } from 'node:crypto';

/**
 * Names and credentials of a tenant's database and login role, derived from its id (a UUID chosen by the
 * service), never from user input. The role password is an HMAC of the id, so it is never stored.
 */
export interface TenantIdentity {
  dbName: string;
  role: string;
}

export function tenantIdentity(tenantId: string): TenantIdentity {
  const hex = tenantId.toLowerCase().replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error('tenant id must be a UUID');
  const name = `t_${hex}`;
  return { dbName: name, role: name };
}

export function tenantRolePassword(dbSecret: string, tenantId: string): string {
  return createHmac('sha256', dbSecret).update(`tenant-role:${tenantId}`).digest('hex');
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
