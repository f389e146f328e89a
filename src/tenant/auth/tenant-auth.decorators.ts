import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiSecurity } from '@nestjs/swagger';
import { TenantGuard } from '../../tenancy/index.js';
import { FeatureGuard } from '../settings/tenant-settings.js';
import { TenantRateGuard } from '../settings/tenant-rate.guard.js';
import type { User, UserRole } from '../identity/user.entity.js';
import { TenantAuthErrors } from './tenant-auth.errors.js';
import { TenantAuthGuard } from './tenant-auth.guard.js';

const ROLES = 'tenant:roles';

/** 403 FORBIDDEN before any work when the caller's role is not among the route's. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles?.length) return true;
    const user = context.switchToHttp().getRequest<{ user?: User }>().user;
    if (!user || !roles.includes(user.role)) throw TenantAuthErrors.forbidden();
    return true;
  }
}

/** A tenant route without a user (login, refresh): the tenant header is resolved and checked. */
export const TenantRoute = () =>
  applyDecorators(UseGuards(TenantGuard, TenantRateGuard), ApiSecurity('tenant-header'));

/** A tenant route for signed-in users, optionally limited to some roles. */
export const TenantAuth = (...roles: UserRole[]) =>
  applyDecorators(
    UseGuards(TenantGuard, TenantRateGuard, TenantAuthGuard, RolesGuard, FeatureGuard),
    SetMetadata(ROLES, roles),
    // One requirement object holding both: the header AND the bearer (two objects would mean either one).
    ApiSecurity({ 'tenant-header': [], tenant: [] }),
  );

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): User => ctx.switchToHttp().getRequest().user,
);
