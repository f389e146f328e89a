import { UnverifiedOwnerSweep } from './owners/unverified-owner.sweep.js';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { PasswordService } from '../common/crypto/password.service.js';
import { CoreAuthController, CoreMeController } from './auth/core-auth.controller.js';
import { CoreAuthGuard } from './auth/core-auth.guard.js';
import { CoreAuthService } from './auth/core-auth.service.js';
import { CoreJwtStrategy } from './auth/core-jwt.strategy.js';
import { CoreTokenService } from './auth/core-token.service.js';
import { EmailTokenRepository } from './auth/email-token.repository.js';
import { MailModule } from './mail/mail.module.js';
import { OrganizationController } from './organizations/organization.controller.js';
import { OrganizationService } from './organizations/organization.service.js';
import { OrganizationOperationsController } from './organizations/organization-operations.controller.js';
import { OrganizationOperations } from './organizations/organization-operations.service.js';
import { CoreTokenCleanupJob } from './auth/core-token-cleanup.job.js';
import { OrganizationPurgeJob } from './organizations/organization-purge.job.js';
import { ExportLinks } from '../common/crypto/export-links.js';
import { OwnerRepository } from './owners/owner.repository.js';

/** The control plane: owners and (later) organizations, in the core database. */
@Module({
  imports: [PassportModule, JwtModule.register({}), MailModule],
  controllers: [
    CoreAuthController,
    CoreMeController,
    OrganizationController,
    OrganizationOperationsController,
  ],
  providers: [
    CoreAuthService,
    OrganizationService,
    CoreTokenService,
    CoreJwtStrategy,
    CoreAuthGuard,
    OwnerRepository,
    EmailTokenRepository,
    PasswordService,
    UnverifiedOwnerSweep,
    OrganizationOperations,
    CoreTokenCleanupJob,
    OrganizationPurgeJob,
    ExportLinks,
  ],
  exports: [CoreAuthGuard, OwnerRepository, PasswordService, CoreTokenService, OrganizationService],
})
export class CoreModule {}
