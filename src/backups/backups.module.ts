import { Module } from '@nestjs/common';
import { join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BackupStore } from './backup-store.js';
import { TenantBackup } from './tenant-backup.entity.js';
import { TenantBackups } from './tenant-backups.service.js';
import { PointInTimeArchive } from './pitr/point-in-time-archive.js';
import { PointInTimeRestore } from './pitr/point-in-time-restore.js';

/** The backups' table in the core database. */
export const BACKUP_ENTITIES = [TenantBackup];

/** Tenant backups recorded in the core database, and point in time (docs/reference/scale-out.md). */
@Module({
  providers: [
    TenantBackups,
    PointInTimeArchive,
    PointInTimeRestore,
    {
      provide: BackupStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new BackupStore(config.files.s3Url, join(resolve(config.dataDir), 'backups')),
    },
  ],
  exports: [TenantBackups, PointInTimeArchive, PointInTimeRestore],
})
export class BackupsModule {}
