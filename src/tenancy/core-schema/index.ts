import type { MigrationInterface } from 'typeorm';
import { DatabaseServer } from '../servers/database-server.entity.js';
import { Organization } from '../catalog/organization.entity.js';
import { FleetRun, FleetRunTenant } from '../migrations/fleet-run.entity.js';
import { CreateOrganizations1795344477818 } from './1795344477818-CreateOrganizations.js';
import { AllowSpareOrganizations1795347348384 } from './1795347348384-AllowSpareOrganizations.js';
import { NotifyCatalogChanges1795360000000 } from './1795360000000-NotifyCatalogChanges.js';
import { OrganizationSettings1795500000000 } from './1795500000000-OrganizationSettings.js';
import { OrganizationDeletionGrace1795600000000 } from './1795600000000-OrganizationDeletionGrace.js';
import { DatabaseServers1795700000000 } from './1795700000000-DatabaseServers.js';
import { FleetRuns1796596782096 } from './1796596782096-FleetRuns.js';
import { OrganizationPlacedAt1796700000000 } from './1796700000000-OrganizationPlacedAt.js';

/**
 * The engine's own tables in the host's core database (the catalog of organizations, the database servers,
 * the trigger that notifies catalog changes, the fleet migration runs): the host adds the entities to its core DataSource and runs the
 * migrations with its own (TypeORM orders them all by their timestamps).
 */
export const TENANCY_CORE_ENTITIES = [Organization, DatabaseServer, FleetRun, FleetRunTenant];

export const TENANCY_CORE_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOrganizations1795344477818,
  AllowSpareOrganizations1795347348384,
  NotifyCatalogChanges1795360000000,
  OrganizationSettings1795500000000,
  OrganizationDeletionGrace1795600000000,
  DatabaseServers1795700000000,
  FleetRuns1796596782096,
  OrganizationPlacedAt1796700000000,
];
