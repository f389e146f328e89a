import type { Organization, OrganizationStatus } from './organization.entity.js';

/** Where a tenant's database is: its id (which names database and roles) and the server holding it. */
export interface TenantLocation {
  id: string;
  server: string;
}

/** What the data plane needs to know of a tenant; cached by the catalog. */
export interface CatalogEntry extends TenantLocation {
  slug: string;
  name: string;
  ownerId: string;
  status: OrganizationStatus;
  dbName: string;
  schemaVersion: string | null;
  /** The application's settings of this organization (the engine does not read them). */
  settings: Record<string, unknown>;
}

/** The one statement a catalog miss runs: no query building on a path any client can reach with any slug. */
export const CATALOG_ENTRY_BY_SLUG = `SELECT id, slug, name, owner_id AS "ownerId", status, db_name AS "dbName", server,
  schema_version AS "schemaVersion", settings FROM organizations WHERE slug = $1`;

export function toCatalogEntry(org: Pick<Organization, keyof CatalogEntry>): CatalogEntry {
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    ownerId: org.ownerId,
    status: org.status,
    dbName: org.dbName,
    server: org.server,
    schemaVersion: org.schemaVersion,
    settings: org.settings ?? {},
  };
}
