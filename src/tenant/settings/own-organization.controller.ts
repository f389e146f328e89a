import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { FeaturesDto, LimitsDto } from '../../core/organizations/organization-settings.dto.js';
import { TenantScope } from '../../tenancy/tenant-scope.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { TenantSettings } from './tenant-settings.js';

/** The tenant's own organization, as any of its users may see it. */
export class OwnOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ type: FeaturesDto, description: 'features in force (true: on)' }) features!: FeaturesDto;
  @ApiProperty({ type: LimitsDto, description: 'limits in force (null: unlimited)' }) limits!: LimitsDto;
}

/**
 * `GET /api/v1/organization`: the organization the request's tenant is — name, slug, enabled features and
 * limits in force — for any role, so a tenant app can show them without the owner's core token.
 */
@ApiTags('tenant: organization')
@Controller('organization')
export class OwnOrganizationController {
  constructor(
    private readonly scope: TenantScope,
    private readonly settings: TenantSettings,
  ) {}

  @Get()
  @TenantAuth()
  @ApiOkResponse({ type: OwnOrganizationDto })
  get(): OwnOrganizationDto {
    const tenant = this.scope.current()!;
    const { features, limits } = this.settings.current();
    return { id: tenant.id, name: tenant.name, slug: tenant.slug, features, limits };
  }
}
