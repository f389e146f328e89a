import pg from 'pg';
import type { TestApp } from './test-app.js';
import { withDatabase } from '../../src/database/postgres-identifiers.js';
import { tenantIdentity } from '../../src/tenancy/index.js';
import { testServerUrl } from './servers.js';

export const PASSWORD = 'correct horse battery';

export interface Owner {
  id: string;
  email: string;
  token: string;
}

/** Registers an owner and marks the email verified (the verification mail itself is covered by owner-flow). */
export async function verifiedOwner(t: TestApp, email: string): Promise<Owner> {
  const reg = await t.http.post('/api/v1/core/auth/register', {
    email,
    password: PASSWORD,
    name: email.split('@')[0],
  });
  if (reg.status !== 201) throw new Error(`register ${email}: ${reg.status} ${reg.text}`);
  const db = new pg.Client({ connectionString: t.coreUrl });
  await db.connect();
  await db.query('UPDATE owners SET email_verified_at = now() WHERE id = $1', [reg.body.id]);
  await db.end();
  const login = await t.http.post('/api/v1/core/auth/login', { email, password: PASSWORD });
  return { id: reg.body.id, email, token: login.body.accessToken };
}

export async function onboard(
  t: TestApp,
  owner: Owner,
  slug: string,
  name = slug,
): Promise<{ id: string; slug: string }> {
  const res = await t.http.post('/api/v1/core/organizations', { name, slug }, { token: owner.token });
  if (res.status !== 201) throw new Error(`onboard ${slug}: ${res.status} ${res.text}`);
  return res.body;
}

/** The owner's admin token for a tenant, through the exchange route. */
export async function adminToken(t: TestApp, owner: Owner, slug: string): Promise<string> {
  const res = await t.http.post('/api/v1/auth/exchange', undefined, {
    token: owner.token,
    headers: { 'x-tenant': slug },
  });
  if (res.status !== 200) throw new Error(`exchange ${slug}: ${res.status} ${res.text}`);
  return res.body.accessToken;
}

export const tenantHeaders = (slug: string) => ({ 'x-tenant': slug });

export async function queryServer<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** An admin URL of the tenant database of organization `slug` (for assertions and backdating rows). */
export async function tenantDatabaseAdminUrl(coreUrl: string, slug: string): Promise<string> {
  const [{ id }] = await queryServer<{ id: string }>(
    coreUrl,
    'SELECT id FROM organizations WHERE slug = $1',
    [slug],
  );
  return withDatabase(testServerUrl(), tenantIdentity(id).dbName);
}
