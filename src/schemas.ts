import type { MigrationInterface } from 'typeorm';
import { CORE_MIGRATIONS } from '../migrations-core/index.js';
import { TENANT_MIGRATIONS } from '../migrations-tenant/index.js';
import { CORE_ENTITIES } from './core/core.entities.js';
import { OPERATOR_ENTITIES } from './operator/operator.entities.js';
import { BACKUP_ENTITIES } from './backups/backups.module.js';
import { TENANT_ENTITIES } from './tenant/tenant.entities.js';
import { TENANCY_CORE_MIGRATIONS } from './tenancy/index.js';

/** The entities and migrations of one database kind. */
export interface Schema {
  entities: NonNullable<import('typeorm').DataSourceOptions['entities']>;
  migrations: (new () => MigrationInterface)[];
}

/**
 * The application's two schemas, named in one place at the composition root: infrastructure
 * (`src/database`) and the engine (`src/tenancy`) are handed them and import neither.
 */
export const SCHEMAS = {
  // The core database holds the engine's tables (its migrations) beside the service's own.
  core: {
    entities: [...CORE_ENTITIES, ...OPERATOR_ENTITIES, ...BACKUP_ENTITIES],
    migrations: [...TENANCY_CORE_MIGRATIONS, ...CORE_MIGRATIONS],
  },
  tenant: { entities: TENANT_ENTITIES, migrations: TENANT_MIGRATIONS },
} satisfies Record<'core' | 'tenant', Schema>;

/** Tenant tables the service may only read and append to: the audit log (its trigger refuses the rest too), the event log. */
export const TENANT_APPEND_ONLY_TABLES = ['audit_logs', 'events'] as const;
