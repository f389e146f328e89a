import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { LimitsModule } from '../common/limits/limits.module.js';
import { PasswordService } from '../common/crypto/password.service.js';
import { OperatorAuthController } from './operator-auth.controller.js';
import { OperatorAuthGuard } from './operator-auth.guard.js';
import { OperatorAuthService } from './operator-auth.service.js';
import { OperatorFleetController } from './operator-fleet.controller.js';
import { OperatorRunsController } from './operator-runs.controller.js';
import { OperatorTenantJobsController } from './operator-tenant-jobs.controller.js';
import { OperatorTokens } from './operator-tokens.service.js';
import { TenantFigures } from './health/tenant-figures.service.js';
import { TenantSizes } from './health/tenant-sizes.service.js';
import { TenantMoveJob } from './tenant-move.job.js';

/**
 * The operator plane: a third token context and the fleet's API (docs/reference/api.md, "Operator routes").
 * Without an operator secret (production without JWT_OPERATOR_SECRET) every route answers 404 NOT_FOUND.
 */
@Module({
  imports: [JwtModule.register({}), LimitsModule],
  controllers: [
    OperatorAuthController,
    OperatorFleetController,
    OperatorRunsController,
    OperatorTenantJobsController,
  ],
  providers: [
    OperatorTokens,
    OperatorAuthService,
    OperatorAuthGuard,
    PasswordService,
    TenantFigures,
    TenantSizes,
    TenantMoveJob,
  ],
})
export class OperatorModule {}
