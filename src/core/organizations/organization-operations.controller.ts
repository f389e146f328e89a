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

/** Settings, usage and maintenance of one of the caller's organizations. */
@ApiTags('core: organizations')
@ApiBearerAuth('core')
@UseGuards(CoreAuthGuard)
@Controller('core/organizations/:slug')
export class OrganizationOperationsController {
  constructor(private readonly operations: OrganizationOperations) {}

  @Get('settings')
  @ApiOkResponse({ type: SettingsDto })
  settings(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<SettingsDto> {
    return this.operations.settings(owner.id, slug);
  }

  @Patch('settings')
  @ApiOkResponse({ type: SettingsDto })
  patchSettings(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Body() patch: SettingsPatchDto,
  ): Promise<SettingsDto> {
    return this.operations.patchSettings(owner.id, slug, patch);
  }

  @Get('usage')
  @ApiOkResponse({ type: UsageDto })
  usage(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<UsageDto> {
    return this.operations.usage(owner.id, slug);
  }

  @Post('maintenance')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto })
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
  async export(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
  ): Promise<JobAcceptedDto> {
    return { jobId: await this.operations.startExport(owner.id, slug) };
  }

  @Get('exports/:jobId')
  @ApiOkResponse({ type: ExportStatusDto })
  exportStatus(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Param('jobId', UuidParam) jobId: string,
  ): Promise<ExportStatusDto> {
    return this.operations.exportStatus(owner.id, slug, jobId);
  }

  @Get('maintenance/:jobId')
  @ApiOkResponse({ type: MaintenanceStatusDto })
  maintenanceStatus(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Param('jobId', UuidParam) jobId: string,
  ): Promise<MaintenanceStatusDto> {
    return this.operations.maintenanceStatus(owner.id, slug, jobId);
  }
}
