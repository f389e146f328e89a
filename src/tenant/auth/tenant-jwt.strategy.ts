import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TenantDataSourceRegistry } from '../../tenancy/tenant-datasource.registry.js';
import type { TenantRequest } from '../../tenancy/tenant.guard.js';
import { User } from '../users/user.entity.js';
import { TENANT_JWT, TenantJwtPayload, tenantSigningKey } from './tenant-jwt.constants.js';

/**
 * Accepts only tenant access tokens of the tenant the request names: the key is that tenant's, `aud`,
 * `iss` and `typ` are the tenant context's, `tid` must equal the resolved tenant, and the user must still
 * be active (read on every request, so a deactivation stops a token at once on every instance).
 */
@Injectable()
export class TenantJwtStrategy extends PassportStrategy(Strategy, TENANT_JWT.strategy) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly registry: TenantDataSourceRegistry,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (
        request: TenantRequest,
        _raw: string,
        done: (err: Error | null, key?: Buffer) => void,
      ) => {
        if (!request.tenant) return done(new Error('tenant not resolved'));
        done(null, tenantSigningKey(config.jwt.tenantSecret, request.tenant.id));
      },
      algorithms: [TENANT_JWT.algorithm],
      audience: TENANT_JWT.audience,
      issuer: TENANT_JWT.issuer,
      passReqToCallback: true,
    });
  }

  async validate(request: TenantRequest, payload: TenantJwtPayload): Promise<User | false> {
    const tenant = request.tenant;
    if (
      !tenant ||
      payload.typ !== TENANT_JWT.type ||
      payload.tid !== tenant.id ||
      typeof payload.sub !== 'string'
    ) {
      return false;
    }
    const user = await this.registry.withDataSource(tenant, (ds) =>
      ds.getRepository(User).findOneBy({ id: payload.sub }),
    );
    return user?.isActive ? user : false;
  }
}
