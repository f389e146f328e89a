import { Controller, Get, Inject, Injectable, Module, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../src/config/app-config.js';
import { CORE_DATABASE_URL } from '../src/database/database.tokens.js';
import { buildDataSourceOptions } from '../src/database/datasource-options.js';
import { tenantDatabaseUrl } from '../src/tenancy/tenant-identity.js';
import { TenantAuthErrors } from '../src/tenant/auth/tenant-auth.errors.js';
import { CurrentUser } from '../src/tenant/auth/tenant-auth.decorators.js';
import { TENANT_JWT, TenantJwtPayload, tenantSigningKey } from '../src/tenant/auth/tenant-jwt.constants.js';
import { UserDto } from '../src/tenant/users/user.dto.js';
import { User } from '../src/tenant/users/user.entity.js';

/** The one tenant the baseline serves, named by BENCH_STATIC_TENANT_ID. */
const tenantId = () => {
  const id = process.env.BENCH_STATIC_TENANT_ID;
  if (!id) throw new Error('BENCH_STATIC_TENANT_ID is not set');
  return id;
};

/** One DataSource, opened once, for one tenant: how a single-tenant service would hold its database. */
@Injectable()
class StaticDataSource {
  private opened?: Promise<DataSource>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
  ) {}

  /** Opened on first use (the tenant may not exist yet when the server starts). */
  get ready(): Promise<DataSource> {
    const url = tenantDatabaseUrl(this.serverUrl, tenantId(), this.config.tenants.dbSecret);
    this.opened ??= new DataSource(
      buildDataSourceOptions('tenant', { url, poolMax: this.config.tenants.poolMax }),
    ).initialize();
    return this.opened;
  }
}

/** The tenant strategy's checks with a fixed key and the static DataSource instead of the engine. */
@Injectable()
class StaticJwtStrategy extends PassportStrategy(Strategy, 'static-jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly db: StaticDataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: tenantSigningKey(config.jwt.tenantSecret, tenantId()),
      algorithms: [TENANT_JWT.algorithm],
      audience: TENANT_JWT.audience,
      issuer: TENANT_JWT.issuer,
    });
  }

  async validate(payload: TenantJwtPayload): Promise<User | false> {
    if (payload.typ !== TENANT_JWT.type || payload.tid !== tenantId()) return false;
    const user = await (await this.db.ready).getRepository(User).findOneBy({ id: payload.sub });
    return user?.isActive ? user : false;
  }
}

@Injectable()
class StaticAuthGuard extends AuthGuard('static-jwt') {
  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw TenantAuthErrors.invalidToken();
    return user;
  }
}

/**
 * The benchmark's baseline: `GET /users/me` exactly as the tenant route serves it (same passport strategy
 * checks, same user query, same DTO) but on one static DataSource, in a singleton controller: no tenant
 * resolution, no registry, no request-scoped DI. Mounted only by bench/server.ts.
 */
@Controller('bench/static')
class StaticBaselineController {
  constructor(private readonly db: StaticDataSource) {}

  @Get('users/me')
  @UseGuards(StaticAuthGuard)
  me(@CurrentUser() user: User): UserDto {
    return UserDto.from(user);
  }

  /** The counterpart of `GET /users/:id` (admin): one more lookup, by id. */
  @Get('users/:id')
  @UseGuards(StaticAuthGuard)
  async get(@CurrentUser() caller: User, @Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    if (caller.role !== 'admin') throw TenantAuthErrors.forbidden();
    const user = await (await this.db.ready).getRepository(User).findOneBy({ id });
    if (!user) throw TenantAuthErrors.userNotFound();
    return UserDto.from(user);
  }
}

@Module({
  imports: [PassportModule],
  controllers: [StaticBaselineController],
  providers: [StaticDataSource, StaticJwtStrategy, StaticAuthGuard],
})
export class StaticBaselineModule {}
