import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { CoreModule } from '../core/core.module.js';
import { MailModule } from '../core/mail/mail.module.js';
import { RolesGuard } from './auth/tenant-auth.decorators.js';
import { TenantAuthGuard } from './auth/tenant-auth.guard.js';
import { TenantTokenVerifier } from './auth/tenant-token.verifier.js';
import { ActiveUserReader } from './identity/active-user.reader.js';
import { TenantAuthController } from './auth/tenant-auth.controller.js';
import { SessionsCutOnRestore } from './auth/sessions-cut-on-restore.js';
import { OwnOrganizationController } from './organization/own-organization.controller.js';
import { TenantAuthService } from './auth/tenant-auth.service.js';
import { TenantTokenService } from './auth/tenant-token.service.js';
import { AuditLogController } from './audit/audit-log.controller.js';
import { AuditLogService } from './audit/audit-log.service.js';
import {
  ProductController,
  SupplierController,
  WarehouseController,
} from './catalogue/catalogue.controller.js';
import { ProductService } from './catalogue/product.service.js';
import { SupplierService } from './catalogue/supplier.service.js';
import { WarehouseService } from './catalogue/warehouse.service.js';
import { StockController } from './inventory/stock.controller.js';
import { StockService } from './inventory/stock.service.js';
import { ItemController } from './items/item.controller.js';
import { ItemService } from './items/item.service.js';
import { PurchaseRequestController } from './purchasing/purchase-request.controller.js';
import { PurchaseRequestService } from './purchasing/purchase-request.service.js';
import { UserController } from './users/user.controller.js';
import { UserService } from './users/user.service.js';
import { OwnerAdminSync } from './users/owner-admin.sync.js';
import { FeatureGuard, TenantSettings } from './settings/tenant-settings.js';
import { DraftCleanupJob } from './jobs/draft-cleanup.job.js';
import { LowStockAlertsJob } from './jobs/low-stock-alerts.job.js';
import { StaffMailer } from './jobs/staff-mailer.js';
import { TenantTokenCleanupJob } from './jobs/token-cleanup.job.js';
import { WeeklyReportJob } from './jobs/weekly-report.job.js';
import { EventChannel } from './events/event-channel.js';
import { EventLogService } from './events/event-log.service.js';
import { EventStreams } from './events/event-streams.js';
import { EventsController } from './events/events.controller.js';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { FILE_STORAGE, type FileStorage } from './files/file-storage.js';
import { FileService } from './files/file.service.js';
import { FileCopyHooks } from './files/file-copy.hooks.js';
import { ExportDownloadController } from './exports/export-download.controller.js';
import { TenantExport } from './exports/tenant-export.service.js';
import { ExportLinks } from '../common/crypto/export-links.js';
import { FileUrlSigner } from './files/file-url.signer.js';
import { FilesController } from './files/files.controller.js';
import { LocalDiskStorage } from './files/local-disk.storage.js';
import { S3Storage } from './files/s3.storage.js';
import { SignedFileController } from './files/signed-file.controller.js';

/** The data plane: everything that lives in a tenant's own database, behind the tenant JWT context. */
@Module({
  imports: [PassportModule, JwtModule.register({}), CoreModule, MailModule],
  controllers: [
    TenantAuthController,
    UserController,
    ProductController,
    SupplierController,
    WarehouseController,
    StockController,
    PurchaseRequestController,
    ItemController,
    AuditLogController,
    EventsController,
    SignedFileController,
    FilesController,
    ExportDownloadController,
    OwnOrganizationController,
  ],
  providers: [
    TenantAuthService,
    TenantTokenService,
    TenantTokenVerifier,
    ActiveUserReader,
    TenantAuthGuard,
    SessionsCutOnRestore,
    RolesGuard,
    UserService,
    ProductService,
    SupplierService,
    WarehouseService,
    StockService,
    PurchaseRequestService,
    ItemService,
    AuditLogService,
    OwnerAdminSync,
    TenantSettings,
    FeatureGuard,
    StaffMailer,
    DraftCleanupJob,
    WeeklyReportJob,
    LowStockAlertsJob,
    TenantTokenCleanupJob,
    EventChannel,
    EventStreams,
    EventLogService,
    FileService,
    FileCopyHooks,
    TenantExport,
    ExportLinks,
    FileUrlSigner,
    {
      provide: FILE_STORAGE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): FileStorage =>
        config.files.s3Url
          ? new S3Storage(config.files.s3Url)
          : new LocalDiskStorage(join(config.dataDir, 'files')),
    },
  ],
  exports: [OwnerAdminSync],
})
export class TenantModule {}
