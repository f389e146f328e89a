import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/validation/uuid-param.js';
import { CoreAuthGuard, CurrentOwner } from '../auth/core-auth.guard.js';
import type { AuthenticatedOwner } from '../auth/core-jwt.strategy.js';
import { OrganizationOperations } from './organization-operations.service.js';
import {
  ExportStatusDto,
  JobAcceptedDto,
  MaintenanceRequestDto,
  MaintenanceStatusDto,
  SettingsDto,
  SettingsPatchDto,
  UsageDto,
} from './organization-settings.dto.js';
import { Operation } from '../../common/openapi/operation.js';

/** Settings, usage and maintenance of one of the caller's organizations. */
@ApiTags('Organizations')
@ApiBearerAuth('core')
@UseGuards(CoreAuthGuard)
@Controller('core/organizations/:slug')
export class OrganizationOperationsController {
  constructor(private readonly operations: OrganizationOperations) {}

  @Get('settings')
  @ApiOkResponse({ type: SettingsDto })
  @Operation('getOrganizationSettings', "An organization's features and limits", 'ORGANIZATION_NOT_FOUND')
  settings(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<SettingsDto> {
    return this.operations.settings(owner.id, slug);
  }

  @Patch('settings')
  @ApiOkResponse({ type: SettingsDto })
  @Operation(
    'updateOrganizationSettings',
    "Change an organization's features and limits",
    'ORGANIZATION_NOT_FOUND',
  )
  patchSettings(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Body() patch: SettingsPatchDto,
  ): Promise<SettingsDto> {
    return this.operations.patchSettings(owner.id, slug, patch);
  }

  @Get('usage')
  @ApiOkResponse({ type: UsageDto })
  @Operation('getOrganizationUsage', "An organization's usage against its limits", 'ORGANIZATION_NOT_FOUND')
  usage(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<UsageDto> {
    return this.operations.usage(owner.id, slug);
  }

  @Post('maintenance')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  @Operation(
    'startOrganizationMaintenance',
    "Start maintenance (VACUUM ANALYZE) of an organization's database",
    'ORGANIZATION_NOT_FOUND',
  )
  async maintain(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Body() dto: MaintenanceRequestDto,
  ): Promise<JobAcceptedDto> {
    return { jobId: await this.operations.startMaintenance(owner.id, slug, dto.operations) };
  }

  @Post('exports')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  @Operation('startOrganizationExport', "Start an export of an organization's data", 'ORGANIZATION_NOT_FOUND')
  async export(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
  ): Promise<JobAcceptedDto> {
    return { jobId: await this.operations.startExport(owner.id, slug) };
  }

  @Get('exports/:jobId')
  @ApiOkResponse({ type: ExportStatusDto })
  @Operation(
    'getOrganizationExport',
    'An export job: its status and, once done, a download link',
    'ORGANIZATION_NOT_FOUND',
    'JOB_NOT_FOUND',
  )
  exportStatus(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Param('jobId', UuidParam) jobId: string,
  ): Promise<ExportStatusDto> {
    return this.operations.exportStatus(owner.id, slug, jobId);
  }

  @Get('maintenance/:jobId')
  @ApiOkResponse({ type: MaintenanceStatusDto })
  @Operation(
    'getOrganizationMaintenance',
    'A maintenance job and its status',
    'ORGANIZATION_NOT_FOUND',
    'JOB_NOT_FOUND',
  )
  maintenanceStatus(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Param('jobId', UuidParam) jobId: string,
  ): Promise<MaintenanceStatusDto> {
    return this.operations.maintenanceStatus(owner.id, slug, jobId);
  }
}
