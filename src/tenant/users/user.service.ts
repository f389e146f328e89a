import { Injectable } from '@nestjs/common';
import { PasswordService } from '../../common/crypto/password.service.js';
import { Page, PageQueryDto, paginate } from '../../common/pagination/cursor.js';
import { TenantConnectionManager } from '../../tenancy/tenant-connection.manager.js';
import { TenantAuthErrors } from '../auth/tenant-auth.errors.js';
import { TenantTokenService } from '../auth/tenant-token.service.js';
import { CreateUserDto, UpdateUserDto, UserDto } from './user.dto.js';
import { User } from './user.entity.js';

/** Users of the current tenant, in its own database (durable per tenant through the manager). */
@Injectable()
export class UserService {
  constructor(
    private readonly tenant: TenantConnectionManager,
    private readonly passwords: PasswordService,
    private readonly tokens: TenantTokenService,
  ) {}

  async list(query: PageQueryDto): Promise<Page<UserDto>> {
    const page = await this.tenant.run((m) =>
      paginate(m.getRepository(User).createQueryBuilder('u'), 'u', query),
    );
    return { data: page.data.map(UserDto.from), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.tenant.run((m) => m.getRepository(User).findOneBy({ id }));
    if (!user) throw TenantAuthErrors.userNotFound();
    return UserDto.from(user);
  }

  async create(dto: CreateUserDto): Promise<UserDto> {
    const passwordHash = await this.passwords.hash(dto.password);
    const user = await this.tenant.run(async (m) => {
      const result = await m
        .createQueryBuilder()
        .insert()
        .into(User)
        .values({ email: dto.email, name: dto.name, role: dto.role, passwordHash })
        .orIgnore()
        .returning(['id'])
        .execute();
      if (result.raw.length === 0) throw TenantAuthErrors.emailTaken();
      return m.getRepository(User).findOneByOrFail({ id: result.raw[0].id });
    });
    return UserDto.from(user);
  }

  /** PATCH: admins may change anything; a user may change only their own name and password. */
  async update(caller: User, id: string, dto: UpdateUserDto): Promise<UserDto> {
    const self = caller.id === id;
    if (caller.role !== 'admin') {
      if (!self) throw TenantAuthErrors.forbidden();
      if (dto.role !== undefined || dto.isActive !== undefined) {
        throw TenantAuthErrors.forbidden('You may change only your own name and password.');
      }
    }
    const passwordHash = dto.password ? await this.passwords.hash(dto.password) : undefined;
    const user = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(User);
      const existing = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!existing) throw TenantAuthErrors.userNotFound();
      const changes: Partial<User> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.role !== undefined) changes.role = dto.role;
      if (dto.isActive !== undefined) changes.isActive = dto.isActive;
      if (passwordHash) changes.passwordHash = passwordHash;
      if (Object.keys(changes).length > 0) await repo.update({ id }, changes);
      if (passwordHash || dto.isActive === false) await this.tokens.refreshTokens.revokeAllOf(m, id);
      return repo.findOneByOrFail({ id });
    });
    return UserDto.from(user);
  }

  /** Deactivates: the user's access tokens stop at once (checked per request), refresh tokens are revoked. */
  async deactivate(id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const result = await m.getRepository(User).update({ id }, { isActive: false });
      if (!result.affected) throw TenantAuthErrors.userNotFound();
      await this.tokens.refreshTokens.revokeAllOf(m, id);
    });
  }
}
