import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CoreAuthGuard, CurrentOwner } from '../../core/auth/core-auth.guard.js';
import type { AuthenticatedOwner } from '../../core/auth/core-jwt.strategy.js';
import { LoginDto, RefreshTokenDto } from '../../core/auth/dto/auth-requests.dto.js';
import { TokenPairDto } from '../../core/auth/dto/token-pair.dto.js';
import { TenantGuard } from '../../tenancy/index.js';
import type { User } from '../identity/user.entity.js';
import { CurrentUser, TenantAuth, TenantRoute } from './tenant-auth.decorators.js';
import { TenantAuthService } from './tenant-auth.service.js';
import { Operation } from '../../common/openapi/operation.js';

@ApiTags('Tenant auth')
@Controller('auth')
export class TenantAuthController {
  constructor(private readonly auth: TenantAuthService) {}

  @Post('login')
  @HttpCode(200)
  @TenantRoute()
  @ApiOkResponse({ type: TokenPairDto })
  @Operation('loginUser', 'Log a tenant user in: an access and a refresh token', 'INVALID_CREDENTIALS')
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  @TenantRoute()
  @ApiOkResponse({ type: TokenPairDto })
  @Operation(
    'refreshUserToken',
    "Trade a tenant user's refresh token for a new pair (rotation)",
    'INVALID_REFRESH_TOKEN',
    'REFRESH_TOKEN_REUSED',
  )
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @TenantAuth()
  @Operation('logoutUser', "Revoke a tenant user's refresh token")
  logout(@CurrentUser() user: User, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(user.id, dto.refreshToken);
  }

  @Post('exchange')
  @HttpCode(200)
  @UseGuards(TenantGuard, CoreAuthGuard)
  // One requirement object: the tenant header AND the owner's core bearer.
  @ApiSecurity({ 'tenant-header': [], core: [] })
  @ApiOkResponse({ type: TokenPairDto })
  @Operation(
    'exchangeOwnerToken',
    "Trade the owner's core token for tenant tokens of the owner's admin user",
    'FORBIDDEN',
  )
  exchange(@CurrentOwner() owner: AuthenticatedOwner): Promise<TokenPairDto> {
    return this.auth.exchange(owner);
  }
}
