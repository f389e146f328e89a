import { PageOf } from '../../common/pagination/page.response.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Page, PageQueryDto } from '../../common/pagination/cursor.js';
import { CoreAuthGuard, CurrentOwner } from '../auth/core-auth.guard.js';
import type { AuthenticatedOwner } from '../auth/core-jwt.strategy.js';
import { CreateOrganizationDto, DeleteOrganizationDto, OrganizationDto } from './organization.dto.js';
import { OrganizationService } from './organization.service.js';

@ApiTags('core: organizations')
@ApiBearerAuth('core')
@UseGuards(CoreAuthGuard)
@Controller('core/organizations')
export class OrganizationController {
  constructor(private readonly organizations: OrganizationService) {}

  @Post()
  @ApiOperation({ summary: 'Onboard an organization: answers 201 once its database is ready.' })
  @ApiCreatedResponse({ type: OrganizationDto })
  create(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Body() dto: CreateOrganizationDto,
  ): Promise<OrganizationDto> {
    return this.organizations.create(owner, dto);
  }

  @Get()
  @ApiOkResponse({ type: PageOf(OrganizationDto) })
  list(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Query() query: PageQueryDto,
  ): Promise<Page<OrganizationDto>> {
    return this.organizations.list(owner.id, query);
  }

  @Get(':slug')
  @ApiOkResponse({ type: OrganizationDto })
  get(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<OrganizationDto> {
    return this.organizations.get(owner.id, slug);
  }

  @Post(':slug/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: OrganizationDto })
  suspend(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<OrganizationDto> {
    return this.organizations.setSuspended(owner.id, slug, true);
  }

  @Post(':slug/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring back an organization deleted within TENANT_DELETE_GRACE_DAYS.' })
  @ApiOkResponse({ type: OrganizationDto })
  restore(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<OrganizationDto> {
    return this.organizations.restore(owner.id, slug);
  }

  @Post(':slug/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: OrganizationDto })
  resume(@CurrentOwner() owner: AuthenticatedOwner, @Param('slug') slug: string): Promise<OrganizationDto> {
    return this.organizations.setSuspended(owner.id, slug, false);
  }

  @Delete(':slug')
  @HttpCode(202)
  @ApiAcceptedResponse({
    schema: { type: 'object', properties: { deleted: { type: 'boolean', enum: [true] } } },
  })
  async remove(
    @CurrentOwner() owner: AuthenticatedOwner,
    @Param('slug') slug: string,
    @Body() dto: DeleteOrganizationDto,
  ): Promise<{ deleted: true }> {
    await this.organizations.remove(owner.id, slug, dto.confirm);
    return { deleted: true };
  }
}
