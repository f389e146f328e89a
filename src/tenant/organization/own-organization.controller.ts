import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { FeatureFlagsDto, LimitValuesDto } from '../../core/organizations/organization-settings.dto.js';
import { TenantScope } from '../../tenancy/index.js';
import { TenantAuth } from '../auth/tenant-auth.decorators.js';
import { TenantSettings } from '../settings/tenant-settings.js';
import { Operation } from '../../common/openapi/operation.js';

/** The tenant's own organization, as any of its users may see it. */
export class OwnOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ type: FeatureFlagsDto, description: 'features in force (true: on)' })
  features!: FeatureFlagsDto;
  @ApiProperty({ type: LimitValuesDto, description: 'limits in force (null: unlimited)' })
  limits!: LimitValuesDto;
}

/**
 * `GET /api/v1/organization`: the organization the request's tenant is — name, slug, enabled features and
 * limits in force — for any role, so a tenant app can show them without the owner's core token.
 */
@ApiTags('Tenant organization')
@Controller('organization')
export class OwnOrganizationController {
  constructor(
    private readonly scope: TenantScope,
    private readonly settings: TenantSettings,
  ) {}

  @Get()
  @TenantAuth()
  @ApiOkResponse({ type: OwnOrganizationDto })
  @Operation('getOwnOrganization', "The tenant's own organization: name, slug, features and limits")
  get(): OwnOrganizationDto {
    const tenant = this.scope.current()!;
    const { features, limits } = this.settings.current();
    return { id: tenant.id, name: tenant.name, slug: tenant.slug, features, limits };
  }
}
