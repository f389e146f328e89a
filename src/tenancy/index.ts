/**
 * The engine's public entry: everything a host app (and the CLI, the tests, the bench) uses of it.
 * Nothing outside src/tenancy imports past this file (an ESLint rule keeps it so).
 */
export { type CatalogEntry, type TenantLocation } from './catalog/catalog-entry.js';
export {
  computeConnectionBudget,
  type ConnectionBudget,
  CORE_POOL_MAX,
  JOB_QUEUE_CONNECTIONS,
} from './connections/connection-budget.js';
export { type PoolObserver, TenantConnectionRegistry } from './connections/tenant-connection.registry.js';
export { BackupVerifier, type VerifiedBackup } from './copies/backup-verifier.js';
export { FleetMigrator, type FleetRow } from './migrations/fleet-migrator.service.js';
export { FleetRuns, type FleetRunClaim, type FleetRunPlan } from './migrations/fleet-runs.service.js';
export {
  type FleetFailure,
  type FleetRunReport,
  recentRuns,
  runFailures,
} from './migrations/fleet-run-reports.js';
export { FLEET_RUN_STATUSES } from './migrations/fleet-run.entity.js';
export { parseFailureRate, parseWaves } from './migrations/fleet-waves.js';
export { ORGANIZATION_STATUSES, Organization } from './catalog/organization.entity.js';
export { type OnboardingOwner } from './lifecycle/provisioning-support.js';
export { DatabaseServer } from './servers/database-server.entity.js';
export { DatabaseServers } from './servers/database-servers.service.js';
export { ServerAdmin, type ServerReport } from './lifecycle/server-admin.service.js';
export { TenantMover } from './lifecycle/tenant-mover.service.js';
export { SLUG_PATTERN, isValidSlug, slugFromName } from './catalog/slug.util.js';
export { TENANCY_ERRORS, TenancyError, TenancyErrorCode, TenancyErrors } from './options/tenancy.errors.js';
export { type TenancyAsyncOptions, TenancyModule } from './tenancy.module.js';
export {
  TENANCY_OPTIONS,
  TENANCY_SETTINGS,
  type FirstAdmin,
  type TenancyOptions,
  type TenancySettings,
} from './options/tenancy.options.js';
export { TenantCatalog } from './catalog/tenant-catalog.service.js';
export { TenantConnectionManager } from './request/tenant-connection.manager.js';
export { TenantCopier, type CopySource } from './lifecycle/tenant-copier.service.js';
export { dropTenantDatabase } from './databases/tenant-database.admin.js';
export {
  tenantDatabaseUrl,
  tenantIdentity,
  tenantReaderPassword,
  tenantRolePassword,
} from './catalog/tenant-identity.js';
export {
  MAINTENANCE_OPERATIONS,
  TenantMaintenance,
  type MaintenanceOperation,
} from './lifecycle/tenant-maintenance.service.js';
export {
  TENANT_MIGRATION_SET,
  loadExtraTenantEntities,
  type MigrationClass,
} from './options/tenant-migrations.js';
export { TenantMigrator } from './migrations/tenant-migrator.service.js';
export { TenantProvisioner } from './lifecycle/tenant-provisioner.service.js';
export { TenantReadQuery, type ReadResult } from './request/tenant-read-query.service.js';
export { TenantRemover } from './lifecycle/tenant-remover.service.js';
export { TenantRunner } from './request/tenant-runner.service.js';
export { TenantScope } from './request/tenant-scope.js';
export { TenantGuard, type TenantRequest } from './request/tenant.guard.js';
export { TENANCY_CORE_ENTITIES, TENANCY_CORE_MIGRATIONS } from './core-schema/index.js';
// Every expected failure the engine throws is an AppError: a code and its HTTP face (`http`); the engine's
// own codes are TenancyErrorCode, the shared ones CommonErrorCode.
export { AppError, type ErrorMappings, type HttpMapping } from '../common/errors/app-error.js';
export { COMMON_ERRORS, CommonErrorCode } from '../common/errors/error-code.js';
export { UnavailableError } from '../common/errors/unavailable-error.js';
// A lost or refusing database surfaces as the driver's own error: a host answers 503 for these.
export { isInfrastructureFailure } from '../common/errors/infrastructure-errors.js';
export { CORE_DATABASE_URL } from '../database/database.tokens.js';
export { type TenantContext } from './request/tenant-context.js';
