import type pg from 'pg';
import type { MigrationClass } from './tenant-migrations.js';

/** Who a new tenant's first admin is: the owner, with the owner's credentials. */
export interface FirstAdmin {
  email: string;
  name: string;
  passwordHash: string;
}

/**
 * What the engine needs from the application, handed in by `TenancyModule.forRoot` — the engine imports
 * nothing from `src/core`, `src/tenant` or the migration folders (an ESLint rule keeps it so;
 * docs/architecture.md).
 */
export interface TenancyOptions {
  /** The tenant schema's migrations, oldest first (`migrations-tenant/`). */
  tenantMigrations: MigrationClass[];
  /** Writes the first admin into a new tenant database, on the provisioner's connection; idempotent. */
  seedFirstAdmin(client: pg.ClientBase, admin: FirstAdmin): Promise<void>;
}

export const TENANCY_OPTIONS = Symbol('TENANCY_OPTIONS');
