import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { CoreModule } from '../core/core.module.js';
import { RolesGuard, TenantAuthGuard } from './auth/tenant-auth.decorators.js';
import { TenantAuthController } from './auth/tenant-auth.controller.js';
import { TenantAuthService } from './auth/tenant-auth.service.js';
import { TenantJwtStrategy } from './auth/tenant-jwt.strategy.js';
import { TenantTokenService } from './auth/tenant-token.service.js';
import { UserController, UserMeController } from './users/user.controller.js';
import { UserService } from './users/user.service.js';

/** The data plane: everything that lives in a tenant's own database, behind the tenant JWT context. */
@Module({
  imports: [PassportModule, JwtModule.register({}), CoreModule],
  controllers: [TenantAuthController, UserMeController, UserController],
  providers: [
    TenantAuthService,
    TenantTokenService,
    TenantJwtStrategy,
    TenantAuthGuard,
    RolesGuard,
    UserService,
  ],
})
export class TenantModule {}
