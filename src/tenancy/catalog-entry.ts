import type { Organization, OrganizationStatus } from './organization.entity.js';

/** What the data plane needs to know of a tenant; cached by the catalog. */
export interface CatalogEntry {
  id: string;
  slug: string;
  name: string;
  ownerId: string;
  status: OrganizationStatus;
  dbName: string;
  schemaVersion: string | null;
  /** The application's settings of this organization (the engine does not read them). */
  settings: Record<string, unknown>;
}

export function toCatalogEntry(org: Organization): CatalogEntry {
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    ownerId: org.ownerId,
    status: org.status,
    dbName: org.dbName,
    schemaVersion: org.schemaVersion,
    settings: org.settings ?? {},
  };
}
