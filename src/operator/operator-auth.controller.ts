import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Operation } from '../common/openapi/operation.js';
import { RefreshTokenDto } from '../core/auth/dto/auth-requests.dto.js';
import { TokenPairDto } from '../core/auth/dto/token-pair.dto.js';
import { OperatorLoginDto } from './operator-auth.dto.js';
import { type AuthenticatedOperator, CurrentOperator, OperatorAuthGuard } from './operator-auth.guard.js';
import { OperatorAuthService } from './operator-auth.service.js';

@ApiTags('Operators')
@Controller('operator/auth')
export class OperatorAuthController {
  constructor(private readonly auth: OperatorAuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @Operation(
    'loginOperator',
    'Log an operator in (the first login replaces the one-time password)',
    'INVALID_CREDENTIALS',
    'PASSWORD_CHANGE_REQUIRED',
    'WEAK_PASSWORD',
    'NOT_FOUND',
  )
  login(@Body() dto: OperatorLoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @Operation(
    'refreshOperatorToken',
    "Trade an operator's refresh token for a new pair (rotation)",
    'INVALID_REFRESH_TOKEN',
    'REFRESH_TOKEN_REUSED',
    'NOT_FOUND',
  )
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(OperatorAuthGuard)
  @ApiBearerAuth('operator')
  @Operation('logoutOperator', "End an operator's session", 'NOT_FOUND')
  logout(@CurrentOperator() operator: AuthenticatedOperator, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(operator.id, dto.refreshToken);
  }
}
