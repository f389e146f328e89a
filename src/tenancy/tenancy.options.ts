import type pg from 'pg';
import type { DataSource, DataSourceOptions } from 'typeorm';
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
  /** The tenant schema's entities: what services' repositories and query builders map. */
  tenantEntities: NonNullable<DataSourceOptions['entities']>;
  /** The tenant schema's migrations, oldest first (`migrations-tenant/`). */
  tenantMigrations: MigrationClass[];
  /**
   * Tables the service's login role may read and append to but never change, delete from or truncate (the
   * audit log); everything else gets DML. Written after every migration run (docs/security.md).
   */
  appendOnlyTables: readonly string[];
  /** Writes the first admin into a new tenant database, on the provisioner's connection; idempotent. */
  seedFirstAdmin(client: pg.ClientBase, admin: FirstAdmin): Promise<void>;
  /**
   * A restored or cloned copy of another tenant's data becomes the new tenant's own: every session of the
   * copy is ended and `admin` becomes its owner's admin user (the source's owner is an ordinary user there).
   * Runs as an admin inside the copy, before it serves; idempotent.
   */
  adoptCopy(client: pg.ClientBase, admin: FirstAdmin): Promise<void>;
  /**
   * The owner an interrupted onboarding is finished for (the sweep), read from the core database; null when
   * the owner is gone (the half-made tenant is then removed).
   */
  findOwner(core: DataSource, ownerId: string): Promise<(FirstAdmin & { id: string }) | null>;
}

export const TENANCY_OPTIONS = Symbol('TENANCY_OPTIONS');
