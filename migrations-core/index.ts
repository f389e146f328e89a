// Written by `migration:generate`; lists every migration of this folder, oldest first.
import { MigrationInterface } from 'typeorm';
import { CreateOwners1795343996329 } from './1795343996329-CreateOwners.js';
import { CreateOrganizations1795344477818 } from './1795344477818-CreateOrganizations.js';
import { AllowSpareOrganizations1795347348384 } from './1795347348384-AllowSpareOrganizations.js';
import { NotifyCatalogChanges1795360000000 } from './1795360000000-NotifyCatalogChanges.js';
import { OwnerTokensValidAfter1795400000001 } from './1795400000001-OwnerTokensValidAfter.js';
import { CloseCoreToPublic1795400000002 } from './1795400000002-CloseCoreToPublic.js';
import { OrganizationSettings1795500000000 } from './1795500000000-OrganizationSettings.js';
import { OrganizationDeletionGrace1795600000000 } from './1795600000000-OrganizationDeletionGrace.js';
import { DatabaseServers1795700000000 } from './1795700000000-DatabaseServers.js';

export const CORE_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOwners1795343996329,
  CreateOrganizations1795344477818,
  AllowSpareOrganizations1795347348384,
  NotifyCatalogChanges1795360000000,
  OwnerTokensValidAfter1795400000001,
  CloseCoreToPublic1795400000002,
  OrganizationSettings1795500000000,
  OrganizationDeletionGrace1795600000000,
  DatabaseServers1795700000000,
];
