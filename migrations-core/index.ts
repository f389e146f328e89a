// Written by `migration:generate`; lists every migration of this folder, oldest first.
import { MigrationInterface } from 'typeorm';
import { CreateOwners1795343996329 } from './1795343996329-CreateOwners.js';
import { OwnerTokensValidAfter1795400000001 } from './1795400000001-OwnerTokensValidAfter.js';
import { CloseCoreToPublic1795400000002 } from './1795400000002-CloseCoreToPublic.js';
import { OrganizationOwnerUnreferenced1795800000000 } from './1795800000000-OrganizationOwnerUnreferenced.js';
import { Operators1796588241505 } from './1796588241505-Operators.js';
import { TenantHealthMinutes1796589920102 } from './1796589920102-TenantHealthMinutes.js';
import { TenantActivity1796597705781 } from './1796597705781-TenantActivity.js';
import { TenantBackups1796598133136 } from './1796598133136-TenantBackups.js';
import { TenantRecentErrors1796598964818 } from './1796598964818-TenantRecentErrors.js';
import { OperatorActionLength1796601318185 } from './1796601318185-OperatorActionLength.js';

export const CORE_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOwners1795343996329,
  OwnerTokensValidAfter1795400000001,
  CloseCoreToPublic1795400000002,
  OrganizationOwnerUnreferenced1795800000000,
  Operators1796588241505,
  TenantHealthMinutes1796589920102,
  TenantActivity1796597705781,
  TenantBackups1796598133136,
  TenantRecentErrors1796598964818,
  OperatorActionLength1796601318185,
];
