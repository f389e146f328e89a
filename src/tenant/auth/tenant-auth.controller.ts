import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CoreAuthGuard, CurrentOwner } from '../../core/auth/core-auth.guard.js';
import type { AuthenticatedOwner } from '../../core/auth/core-jwt.strategy.js';
import { LoginDto, RefreshTokenDto } from '../../core/auth/dto/auth-requests.dto.js';
import { TokenPairDto } from '../../core/auth/dto/token-pair.dto.js';
import { TenantGuard } from '../../tenancy/tenant.guard.js';
import type { User } from '../users/user.entity.js';
import { CurrentUser, TenantAuth, TenantRoute } from './tenant-auth.decorators.js';
import { TenantAuthService } from './tenant-auth.service.js';

@ApiTags('tenant: auth')
@Controller('auth')
export class TenantAuthController {
  constructor(private readonly auth: TenantAuthService) {}

  @Post('login')
  @HttpCode(200)
  @TenantRoute()
  @ApiOkResponse({ type: TokenPairDto })
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  @TenantRoute()
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @TenantAuth()
  logout(@CurrentUser() user: User, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(user.id, dto.refreshToken);
  }

  @Post('exchange')
  @HttpCode(200)
  @UseGuards(TenantGuard, CoreAuthGuard)
  @ApiSecurity('tenant-header')
  @ApiBearerAuth('core')
  @ApiOperation({ summary: "Owner's core token → tenant tokens for the owner's admin user." })
  @ApiOkResponse({ type: TokenPairDto })
  exchange(@CurrentOwner() owner: AuthenticatedOwner): Promise<TokenPairDto> {
    return this.auth.exchange(owner);
  }
}
