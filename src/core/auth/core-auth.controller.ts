import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OwnerDto } from '../owners/owner.dto.js';
import { CoreAuthGuard, CurrentOwner } from './core-auth.guard.js';
import { CoreAuthService } from './core-auth.service.js';
import type { AuthenticatedOwner } from './core-jwt.strategy.js';
import {
  EmailTokenDto,
  ForgotPasswordDto,
  LoginDto,
  RefreshTokenDto,
  RegisterDto,
  ResetPasswordDto,
} from './dto/auth-requests.dto.js';
import { TokenPairDto } from './dto/token-pair.dto.js';

const ACCEPTED = {
  schema: { type: 'object' as const, properties: { accepted: { type: 'boolean' as const, enum: [true] } } },
};

@ApiTags('core: auth')
@Controller('core/auth')
export class CoreAuthController {
  constructor(private readonly auth: CoreAuthService) {}

  @Post('register')
  @ApiOperation({ summary: 'Register an owner; a verification token is mailed.' })
  @ApiCreatedResponse({ type: OwnerDto })
  register(@Body() dto: RegisterDto): Promise<OwnerDto> {
    return this.auth.register(dto);
  }

  @Post('verify-email')
  @HttpCode(200)
  @ApiOkResponse({ schema: { type: 'object', properties: { verified: { type: 'boolean', enum: [true] } } } })
  async verifyEmail(@Body() dto: EmailTokenDto): Promise<{ verified: true }> {
    await this.auth.verifyEmail(dto.token);
    return { verified: true };
  }

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(CoreAuthGuard)
  @ApiBearerAuth('core')
  logout(@CurrentOwner() owner: AuthenticatedOwner, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(owner.id, dto.refreshToken);
  }

  @Post('forgot-password')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  async forgotPassword(@Body() dto: ForgotPasswordDto): Promise<{ accepted: true }> {
    await this.auth.forgotPassword(dto.email);
    return { accepted: true };
  }

  /** A new verification mail for an unverified owner; 202 always, limited per address. */
  @Post('resend-verification')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  async resendVerification(@Body() dto: ForgotPasswordDto): Promise<{ accepted: true }> {
    await this.auth.resendVerification(dto.email);
    return { accepted: true };
  }

  @Post('reset-password')
  @HttpCode(204)
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.auth.resetPassword(dto);
  }
}

@ApiTags('core: owners')
@Controller('core')
export class CoreMeController {
  constructor(private readonly auth: CoreAuthService) {}

  @Get('me')
  @UseGuards(CoreAuthGuard)
  @ApiBearerAuth('core')
  @ApiOkResponse({ type: OwnerDto })
  me(@CurrentOwner() owner: AuthenticatedOwner): Promise<OwnerDto> {
    return this.auth.me(owner.id);
  }
}
