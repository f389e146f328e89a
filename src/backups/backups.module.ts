import { Module } from '@nestjs/common';
import { TenantBackup } from './tenant-backup.entity.js';
import { TenantBackups } from './tenant-backups.service.js';

/** The backups' table in the core database. */
export const BACKUP_ENTITIES = [TenantBackup];

/** Tenant backups recorded in the core database (docs/operations.md, "Backups"). */
@Module({ providers: [TenantBackups], exports: [TenantBackups] })
export class BackupsModule {}
