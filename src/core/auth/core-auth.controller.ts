import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
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
import { Operation } from '../../common/openapi/operation.js';

const ACCEPTED = {
  schema: {
    type: 'object' as const,
    required: ['accepted'],
    properties: { accepted: { type: 'boolean' as const, enum: [true] } },
  },
};

@ApiTags('Owner accounts')
@Controller('core/auth')
export class CoreAuthController {
  constructor(private readonly auth: CoreAuthService) {}

  @Post('register')
  @ApiCreatedResponse({ type: OwnerDto })
  @Operation(
    'registerOwner',
    'Register an owner; a verification token is mailed',
    'EMAIL_TAKEN',
    'WEAK_PASSWORD',
  )
  register(@Body() dto: RegisterDto): Promise<OwnerDto> {
    return this.auth.register(dto);
  }

  @Post('verify-email')
  @HttpCode(200)
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['verified'],
      properties: { verified: { type: 'boolean', enum: [true] } },
    },
  })
  @Operation(
    'verifyOwnerEmail',
    "Verify an owner's email address with the mailed token",
    'INVALID_VERIFICATION_TOKEN',
  )
  async verifyEmail(@Body() dto: EmailTokenDto): Promise<{ verified: true }> {
    await this.auth.verifyEmail(dto.token);
    return { verified: true };
  }

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @Operation(
    'loginOwner',
    'Log an owner in: an access and a refresh token',
    'INVALID_CREDENTIALS',
    'EMAIL_NOT_VERIFIED',
  )
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @Operation(
    'refreshOwnerToken',
    "Trade an owner's refresh token for a new pair (rotation)",
    'INVALID_REFRESH_TOKEN',
    'REFRESH_TOKEN_REUSED',
  )
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(CoreAuthGuard)
  @ApiBearerAuth('core')
  @Operation('logoutOwner', "Revoke an owner's refresh token")
  logout(@CurrentOwner() owner: AuthenticatedOwner, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(owner.id, dto.refreshToken);
  }

  @Post('forgot-password')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @Operation('forgotOwnerPassword', 'Mail a password-reset token (202 whether or not the address is known)')
  async forgotPassword(@Body() dto: ForgotPasswordDto): Promise<{ accepted: true }> {
    await this.auth.forgotPassword(dto.email);
    return { accepted: true };
  }

  /** A new verification mail for an unverified owner; 202 always, limited per address. */
  @Post('resend-verification')
  @HttpCode(202)
  @ApiAcceptedResponse(ACCEPTED)
  @Operation('resendOwnerVerification', 'Mail a new verification token to an unverified owner')
  async resendVerification(@Body() dto: ForgotPasswordDto): Promise<{ accepted: true }> {
    await this.auth.resendVerification(dto.email);
    return { accepted: true };
  }

  @Post('reset-password')
  @HttpCode(204)
  @Operation(
    'resetOwnerPassword',
    'Set a new password with a mailed reset token',
    'INVALID_VERIFICATION_TOKEN',
    'WEAK_PASSWORD',
  )
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.auth.resetPassword(dto);
  }
}

@ApiTags('Owner accounts')
@Controller('core')
export class CoreMeController {
  constructor(private readonly auth: CoreAuthService) {}

  @Get('me')
  @UseGuards(CoreAuthGuard)
  @ApiBearerAuth('core')
  @ApiOkResponse({ type: OwnerDto })
  @Operation('getCurrentOwner', 'The signed-in owner')
  me(@CurrentOwner() owner: AuthenticatedOwner): Promise<OwnerDto> {
    return this.auth.me(owner.id);
  }
}
