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
 * docs/reference/architecture.md).
 */
export interface TenancyOptions {
  /** The tenant schema's entities: what services' repositories and query builders map. */
  tenantEntities: NonNullable<DataSourceOptions['entities']>;
  /** The tenant schema's migrations, oldest first (`migrations-tenant/`). */
  tenantMigrations: MigrationClass[];
  /**
   * Tables the service's login role may read and append to but never change, delete from or truncate (the
   * audit log); everything else gets DML. Written after every migration run (docs/reference/security.md).
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
  /** The engine's settings. */
  settings: TenancySettings;
}

/**
 * The engine's own settings: a host reads them from wherever it keeps its configuration and hands them in
 * (`TenancyModule.forRoot({ settings })`); the engine reads no configuration of the host's.
 */
export interface TenancySettings {
  /** The core database (organizations, database servers): on the primary server, which also hosts tenants. */
  coreUrl: string;
  /** The request header that names the tenant, lower case (`x-tenant`). */
  header: string;
  /** With `.app.example.com`, a request to `acme.app.example.com` is tenant `acme` without the header. */
  hostSuffix?: string;
  /** HMAC key the tenant roles' passwords derive from (at least 32 characters). */
  dbSecret: string;
  /** Connections one tenant holds at most. */
  poolMax: number;
  /** While other tenants wait for a connection, the most of the budget one tenant holds (0 < share ≤ 1). */
  maxShare: number;
  /** Idle tenant connections are closed after this. */
  idleMs: number;
  /** How long a request waits for a tenant connection before 503. */
  acquireTimeoutMs: number;
  /**
   * A request to a tenant behind the oldest schema version the code serves (tenant-migrations.ts,
   * `servingFloor`) migrates it first, waiting up to `acquireTimeoutMs` (then 503 TENANT_NOT_READY); false:
   * 503 TENANT_NOT_READY until a fleet run reaches it. Default true.
   */
  migrateOnAccess?: boolean;
  /** An explicit cap on the tenant-connection budget; unset: derived from each server's max_connections. */
  connectionBudget?: number;
  /** An older cap: the budget is at most maxDataSources × poolMax when set. */
  maxDataSources?: number;
  /** PgBouncer in front of the primary server (transaction mode); unset: direct connections. */
  poolerUrl?: string;
  /** Onboardings built at once, and how many more may wait before 503. */
  provisioningConcurrency: number;
  provisioningQueue: number;
  /** Interval of the sweep that finishes onboardings and deletions a crash interrupted. */
  sweepMs: number;
  /** Databases provisioned ahead of demand (0: off). */
  spares: number;
  /** Organizations one owner may have. */
  maxPerOwner: number;
  /** How long a catalog entry is cached while the LISTEN connection is healthy. */
  catalogTtlMs: number;
  /** Sessions the host opens on a server besides the engine's (its job workers'): counted in the budget. */
  hostConnections: number;
  /** Whether this instance runs the engine's background work (sweep, spares). */
  runWorkers: boolean;
  /** Test-only hooks; a host leaves them unset. */
  faults?: {
    /** Kill the process after this provisioning step (`<step>`) or throw there (`<step>:error`). */
    afterStep?: string;
    /** Modules (absolute paths) whose exported migration classes extend the tenant migration set. */
    extraTenantMigrations?: string[];
  };
}

export const TENANCY_OPTIONS = Symbol('TENANCY_OPTIONS');
/** The `settings` of the options, injectable on their own. */
export const TENANCY_SETTINGS = Symbol('TENANCY_SETTINGS');

const POSITIVE: (keyof TenancySettings)[] = [
  'poolMax',
  'idleMs',
  'acquireTimeoutMs',
  'provisioningConcurrency',
  'sweepMs',
  'catalogTtlMs',
];
const NON_NEGATIVE: (keyof TenancySettings)[] = [
  'provisioningQueue',
  'spares',
  'maxPerOwner',
  'hostConnections',
];

const RESERVED_HEADERS = new Set([
  'host',
  'authorization',
  'cookie',
  'content-type',
  'content-length',
  'origin',
]);

/** Checks the options a host hands in; every problem in one message, before anything starts. */
export function validateTenancyOptions(options: TenancyOptions): TenancyOptions {
  const s = options.settings;
  const problems: string[] = [];
  if (!s) throw new Error('TenancyModule: options.settings is required');
  if (!/^postgres(ql)?:\/\//.test(s.coreUrl ?? '')) problems.push('coreUrl must be a postgres:// URL');
  if (!/^[a-z0-9-]+$/.test(s.header ?? '')) problems.push('header must be a lower-case HTTP header name');
  if ((s.dbSecret ?? '').length < 32) problems.push('dbSecret must be at least 32 characters');
  for (const key of POSITIVE)
    if (!Number.isInteger(s[key]) || (s[key] as number) < 1) problems.push(`${key} must be an integer ≥ 1`);
  for (const key of NON_NEGATIVE)
    if (!Number.isInteger(s[key]) || (s[key] as number) < 0) problems.push(`${key} must be an integer ≥ 0`);
  if (!Array.isArray(options.tenantMigrations) || options.tenantMigrations.length === 0)
    problems.push('tenantMigrations must list at least one migration');
  if (!Array.isArray(options.tenantEntities) || options.tenantEntities.length === 0)
    problems.push('tenantEntities must list at least one entity');
  if (!Array.isArray(options.appendOnlyTables))
    problems.push('appendOnlyTables must be an array (may be empty)');
  for (const hook of ['seedFirstAdmin', 'adoptCopy', 'findOwner'] as const)
    if (typeof options[hook] !== 'function') problems.push(`${hook} must be a function`);
  if (typeof s.runWorkers !== 'boolean') problems.push('runWorkers must be a boolean');
  if (!(typeof s.maxShare === 'number' && s.maxShare > 0 && s.maxShare <= 1))
    problems.push('maxShare must be a number in (0, 1]');
  for (const key of ['connectionBudget', 'maxDataSources'] as const)
    if (s[key] !== undefined && (!Number.isInteger(s[key]) || s[key]! < 1))
      problems.push(`${key} must be an integer ≥ 1 when set`);
  if (RESERVED_HEADERS.has(s.header))
    problems.push(`header must not be a standard HTTP header (${s.header})`);
  if (s.hostSuffix !== undefined && !/^\.[a-z0-9.-]+$/.test(s.hostSuffix))
    problems.push('hostSuffix must start with a dot (".app.example.com")');
  if (problems.length) throw new Error(`TenancyModule options are invalid: ${problems.join('; ')}`);
  return options;
}
