import { DynamicModule, Module } from '@nestjs/common';
import { AppModule } from '../app.module.js';
import type { AppConfig } from '../config/app-config.js';
import { CoreModule } from '../core/core.module.js';
import { MigrateCoreCommand } from './migrate-core.command.js';
import { MigrateRevertTenantsCommand } from './migrate-revert.command.js';
import { MigrateStatusCommand } from './migrate-status.command.js';
import { MigrateTenantsCommand } from './migrate-tenants.command.js';
import { TenantsBackupsCommand } from './tenants-backups.command.js';
import { BackupsModule } from '../backups/backups.module.js';
import { MigratePauseCommand, MigrateResumeCommand, MigrateRunsCommand } from './migrate-runs.commands.js';
import { MigrationGenerateCommand } from './migration-generate.command.js';
import { TenantsCreateCommand } from './tenants-create.command.js';
import { TenantsListCommand } from './tenants-list.command.js';
import { TenantsMaintainCommand } from './tenants-maintain.command.js';
import { TenantsRunCommand } from './tenants-run.command.js';
import { ServersBaseBackupCommand } from './base-backup.command.js';
import { TenantsBackupCommand, TenantsCloneCommand, TenantsRestoreCommand } from './tenants-copy.commands.js';
import { JobsListCommand, JobsRunCommand } from './jobs.commands.js';
import { ServersAddCommand, ServersDrainCommand, ServersListCommand } from './servers.commands.js';
import {
  OperatorsCreateCommand,
  OperatorsDisableCommand,
  OperatorsListCommand,
} from './operators.commands.js';
import { TenantsMoveCommand } from './tenants-move.command.js';

/** The CLI runs on the same modules as the service (no HTTP server, no background workers). */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, coreUrl: string): DynamicModule {
    return {
      module: CliModule,
      imports: [AppModule.forRoot(config, coreUrl), CoreModule, BackupsModule],
      providers: [
        MigrateCoreCommand,
        MigrateTenantsCommand,
        MigrateRunsCommand,
        TenantsBackupsCommand,
        MigratePauseCommand,
        MigrateResumeCommand,
        MigrateStatusCommand,
        MigrateRevertTenantsCommand,
        MigrationGenerateCommand,
        TenantsListCommand,
        TenantsCreateCommand,
        TenantsMaintainCommand,
        TenantsRunCommand,
        TenantsBackupCommand,
        TenantsRestoreCommand,
        ServersBaseBackupCommand,
        TenantsCloneCommand,
        JobsListCommand,
        JobsRunCommand,
        ServersAddCommand,
        ServersListCommand,
        ServersDrainCommand,
        OperatorsCreateCommand,
        OperatorsListCommand,
        OperatorsDisableCommand,
        TenantsMoveCommand,
      ],
    };
  }
}
