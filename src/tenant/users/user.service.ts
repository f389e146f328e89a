import { cutOffNow } from '../../common/crypto/session-cutoff.js';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PasswordService } from '../../common/crypto/password.service.js';
import { AbuseLimits } from '../../common/limits/abuse-limits.service.js';
import { Page, PageQueryDto, paginate } from '../../common/pagination/cursor.js';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { TenantAuthErrors } from '../auth/tenant-auth.errors.js';
import { TenantTokenService } from '../auth/tenant-token.service.js';
import type { Actor } from '../audit/actor.js';
import { audit } from '../audit/audit.writer.js';
import { CreateUserDto, UpdateUserDto, UserDto } from './user.dto.js';
import { User } from '../identity/user.entity.js';
import { keepAdminsInCharge } from './admin-guardrails.js';
import { TenantSettings } from '../settings/tenant-settings.js';
import { assertStrongPassword } from '../../common/validation/password-policy.js';

/** Users of the current tenant, in its own database (through the manager). */
@Injectable()
export class UserService {
  constructor(
    private readonly tenant: TenantConnectionManager,
    private readonly passwords: PasswordService,
    private readonly tokens: TenantTokenService,
    private readonly settings: TenantSettings,
    private readonly limits: AbuseLimits,
  ) {}

  async list(query: PageQueryDto): Promise<Page<UserDto>> {
    const page = await this.tenant.run((m) =>
      paginate(m.getRepository(User).createQueryBuilder('u'), 'u', query),
    );
    return { ...page, data: page.data.map(UserDto.from) };
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.tenant.run((m) => m.getRepository(User).findOneBy({ id }));
    if (!user) throw TenantAuthErrors.userNotFound();
    return UserDto.from(user);
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserDto> {
    assertStrongPassword(dto.password, dto.email);
    const passwordHash = await this.passwords.hash(dto.password);
    const user = await this.tenant.transaction(async (m) => {
      await this.settings.reserve(m, 'maxUsers');
      const result = await m
        .createQueryBuilder()
        .insert()
        .into(User)
        .values({ email: dto.email, name: dto.name, role: dto.role, passwordHash })
        .orIgnore()
        .returning(['id'])
        .execute();
      if (result.raw.length === 0) throw TenantAuthErrors.emailTaken();
      const created = await m.getRepository(User).findOneByOrFail({ id: result.raw[0].id });
      await audit(m, actor, 'create', 'user', created.id, null, created);
      return created;
    });
    return UserDto.from(user);
  }

  /**
   * PATCH: admins may change anything; a user may change only their own name and password, and their own
   * password only with the current one. The owner's admin user follows the owner's core account: its
   * password changes there, never here. Within the guardrails of admin-guardrails.ts.
   */
  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserDto> {
    const caller = actor.user;
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
      if (passwordHash) {
        await this.mayChangePassword(existing, self, dto.currentPassword);
        assertStrongPassword(dto.password!, existing.email);
      }
      await keepAdminsInCharge(m, existing, dto);
      const changes: Partial<User> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.role !== undefined) changes.role = dto.role;
      if (dto.isActive !== undefined) changes.isActive = dto.isActive;
      if (passwordHash) changes.passwordHash = passwordHash;
      if (Object.keys(changes).length > 0) await repo.update({ id }, changes);
      if (passwordHash || dto.isActive === false) await this.endSessions(m, id);
      const after = await repo.findOneByOrFail({ id });
      await audit(m, actor, 'update', 'user', id, existing, after);
      return after;
    });
    return UserDto.from(user);
  }

  /** Deactivates: the user's access and refresh tokens stop at once. */
  async deactivate(actor: Actor, id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const before = await m
        .getRepository(User)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw TenantAuthErrors.userNotFound();
      await keepAdminsInCharge(m, before, { isActive: false });
      await m.getRepository(User).update({ id }, { isActive: false });
      await audit(m, actor, 'deactivate', 'user', id, before, { ...before, isActive: false });
      await this.endSessions(m, id);
    });
  }

  /** Every refresh token revoked, every access token issued until now refused (active-user.reader.ts). */
  private async endSessions(m: EntityManager, id: string): Promise<void> {
    await this.tokens.refreshTokens.revokeAllOf(m, id);
    await m.getRepository(User).update({ id }, { tokensValidAfter: cutOffNow() });
  }

  private async mayChangePassword(user: User, self: boolean, current: string | undefined): Promise<void> {
    if (user.isOwner) throw TenantAuthErrors.ownerProtected();
    if (!self) return;
    if (!current)
      throw TenantAuthErrors.currentPassword('currentPassword is required to change your password');
    // A stolen session must not become a way to guess the password: wrong guesses count like failed logins
    // (LOGIN_FAILURES_PER_ACCOUNT per 15 minutes, then 429 even with the right one).
    const account = `current-password:${user.id}`;
    await this.limits.assertLoginAllowed(account);
    if (!(await this.passwords.verify(current, user.passwordHash))) {
      await this.limits.loginFailed(account);
      throw TenantAuthErrors.currentPassword('currentPassword is not your current password');
    }
    await this.limits.loginSucceeded(account);
  }
}
