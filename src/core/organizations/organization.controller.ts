import { PageOf } from '../../common/pagination/page.response.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Page, PageQueryDto } from '../../common/pagination/cursor.js';
import { CoreAuthGuard, CurrentOwner } from '../auth/core-auth.guard.js';
import type { AuthenticatedOwner } from '../auth/core-jwt.strategy.js';
import { CreateOrganizationDto, DeleteOrganizationDto, OrganizationDto } from './organization.dto.js';
import { OrganizationService } from './organization.service.js';
import { Operation } from '../../common/openapi/operation.js';

@ApiTags('Organizations')
@ApiBearerAuth('core')
@UseGuards(CoreAuthGuard)
@Controller('core/organizations')
export class OrganizationController {
  constructor(private readonly organizations: OrganizationService) {}

  @Post()
  @ApiCreatedResponse({ type: OrganizationDto })
  @Operation(
    'createOrganization',
    'Onboard an organization: 201 once its database is ready',
    'SLUG_TAKEN',
    'EMAIL_NOT_VERIFIED',
    'PROVISIONING_FAILED',
  )
  create(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Body() dto: CreateOrganizationDto,
  ): Promise<OrganizationDto> {
    return this.organizations.create(owner, dto);
  }

  @Get()
  @ApiOkResponse({ type: PageOf(OrganizationDto) })
  @Operation('listOrganizations', "List the owner's organizations")
  list(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Query() query: PageQueryDto,
  ): Promise<Page<OrganizationDto>> {
    return this.organizations.list(owner.id, query);
  }

  @Get(':slug')
  @ApiOkResponse({ type: OrganizationDto })
  @Operation('getOrganization', "Get one of the owner's organizations", 'ORGANIZATION_NOT_FOUND')
  get(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<OrganizationDto> {
    return this.organizations.get(owner.id, slug);
  }

  @Post(':slug/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: OrganizationDto })
  @Operation(
    'suspendOrganization',
    'Suspend an organization: its tenant routes answer 403',
    'ORGANIZATION_NOT_FOUND',
    'INVALID_TRANSITION',
  )
  suspend(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<OrganizationDto> {
    return this.organizations.setSuspended(owner.id, slug, true);
  }

  @Post(':slug/restore')
  @HttpCode(200)
  @ApiOkResponse({ type: OrganizationDto })
  @Operation(
    'restoreOrganization',
    'Bring back an organization deleted within TENANT_DELETE_GRACE_DAYS',
    'ORGANIZATION_NOT_FOUND',
    'INVALID_TRANSITION',
  )
  restore(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<OrganizationDto> {
    return this.organizations.restore(owner.id, slug);
  }

  @Post(':slug/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: OrganizationDto })
  @Operation(
    'resumeOrganization',
    'Resume a suspended organization',
    'ORGANIZATION_NOT_FOUND',
    'INVALID_TRANSITION',
  )
  resume(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<OrganizationDto> {
    return this.organizations.setSuspended(owner.id, slug, false);
  }

  @Delete(':slug')
  @HttpCode(202)
  @ApiAcceptedResponse({
    schema: {
      type: 'object',
      required: ['deleted'],
      properties: { deleted: { type: 'boolean', enum: [true] } },
    },
  })
  @Operation(
    'deleteOrganization',
    'Delete an organization (restorable during the grace period)',
    'ORGANIZATION_NOT_FOUND',
    'CONFIRMATION_MISMATCH',
  )
  async remove(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Body() dto: DeleteOrganizationDto,
  ): Promise<{ deleted: true }> {
    await this.organizations.remove(owner.id, slug, dto.confirm);
    return { deleted: true };
  }
}
