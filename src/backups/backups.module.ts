import { Module } from '@nestjs/common';
import { TenantBackup } from './tenant-backup.entity.js';
import { TenantBackups } from './tenant-backups.service.js';
import { PointInTimeArchive } from './pitr/point-in-time-archive.js';
import { PointInTimeRestore } from './pitr/point-in-time-restore.js';

/** The backups' table in the core database. */
export const BACKUP_ENTITIES = [TenantBackup];

/** Tenant backups recorded in the core database, and point in time (docs/reference/scale-out.md). */
@Module({
  providers: [TenantBackups, PointInTimeArchive, PointInTimeRestore],
  exports: [TenantBackups, PointInTimeArchive, PointInTimeRestore],
})
export class BackupsModule {}
