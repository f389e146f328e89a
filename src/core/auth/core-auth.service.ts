import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordService } from '../../common/crypto/password.service.js';
import { AbuseLimits } from '../../common/limits/abuse-limits.service.js';
import { OutboxService } from '../mail/outbox.service.js';
import { OwnerDto } from '../owners/owner.dto.js';
import { OWNER_CREDENTIALS_SYNC, type OwnerCredentialsSync } from '../owners/owner-credentials.port.js';
import { OwnerRepository } from '../owners/owner.repository.js';
import { CoreAuthErrors } from './core-auth.errors.js';
import { CoreTokenService } from './core-token.service.js';
import { LoginDto, RegisterDto, ResetPasswordDto } from './dto/auth-requests.dto.js';
import { TokenPairDto } from './dto/token-pair.dto.js';
import { EmailTokenRepository } from './email-token.repository.js';
import { resetMail, verificationMail } from './account-mails.js';
import { assertStrongPassword } from '../../common/validation/password-policy.js';

/** Owner accounts of the control plane: registration, email verification, sessions and password reset. */
@Injectable()
export class CoreAuthService {
  private readonly logger = new Logger(CoreAuthService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly owners: OwnerRepository,
    private readonly emailTokens: EmailTokenRepository,
    private readonly tokens: CoreTokenService,
    private readonly passwords: PasswordService,
    private readonly outbox: OutboxService,
    @Inject(OWNER_CREDENTIALS_SYNC) private readonly credentials: OwnerCredentialsSync,
    private readonly limits: AbuseLimits,
  ) {}

  async register(dto: RegisterDto): Promise<OwnerDto> {
    assertStrongPassword(dto.password, dto.email);
    const passwordHash = await this.passwords.hash(dto.password);
    const owner = await this.dataSource.transaction(async (manager) => {
      const created = await this.owners.insert(manager, { email: dto.email, name: dto.name, passwordHash });
      if (!created) throw CoreAuthErrors.emailTaken();
      // The registration's mail counts toward MAILS_PER_ADDRESS_PER_HOUR like a resend (beyond it: no mail;
      // the owner asks for one with resend-verification once the hour has passed).
      if (!(await this.limits.mayMail(created.email))) return created;
      const token = await this.emailTokens.issue(manager, created.id, 'verify-email');
      await this.outbox.enqueue(manager, verificationMail(created.email, token));
      return created;
    });
    this.outbox.notifyCommitted();
    this.logger.log({ ownerId: owner.id }, 'owner registered');
    return OwnerDto.from(owner);
  }

  async verifyEmail(token: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const ownerId = await this.emailTokens.consume(manager, token, 'verify-email');
      if (!ownerId) throw CoreAuthErrors.invalidEmailToken();
      await this.owners.markVerified(manager, ownerId);
    });
  }

  /**
   * The same reply, after the same bcrypt work, whether the email is unknown or the password wrong; after
   * LOGIN_FAILURES_PER_ACCOUNT failures the account answers 429 until its window passes, right password or not.
   */
  async login(dto: LoginDto): Promise<TokenPairDto> {
    const account = `core:${dto.email}`;
    await this.limits.assertLoginAllowed(account);
    const owner = await this.owners.findByEmail(dto.email);
    const ok = await this.passwords.verify(dto.password, owner?.passwordHash);
    if (!owner || !ok) {
      await this.limits.loginFailed(account);
      throw CoreAuthErrors.invalidCredentials();
    }
    await this.limits.loginSucceeded(account);
    if (!owner.emailVerifiedAt) throw CoreAuthErrors.emailNotVerified();
    return this.dataSource.transaction((manager) => this.tokens.issuePair(manager, owner.id));
  }

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const result = await this.dataSource.transaction((manager) => this.tokens.rotate(manager, refreshToken));
    if (result.outcome === 'reused') throw CoreAuthErrors.refreshTokenReused();
    if (result.outcome === 'invalid') throw CoreAuthErrors.invalidRefreshToken();
    return this.tokens.pair(result.subjectId, result.token);
  }

  async logout(ownerId: string, refreshToken: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const family = await this.tokens.refreshTokens.familyOf(manager, refreshToken, ownerId);
      if (!family) throw CoreAuthErrors.invalidRefreshToken();
      await this.tokens.refreshTokens.revokeFamily(manager, family);
      await this.owners.cutOffTokens(manager, ownerId);
    });
  }

  /** 202 whatever happens; a new verification mail only to an unverified owner, within the mail limit. */
  async resendVerification(email: string): Promise<void> {
    if (!(await this.limits.mayMail(email))) return;
    const sent = await this.dataSource.transaction(async (manager) => {
      const owner = await this.owners.findByEmail(email, manager);
      if (!owner || owner.emailVerifiedAt) return false;
      await this.outbox.enqueue(
        manager,
        verificationMail(owner.email, await this.emailTokens.issue(manager, owner.id, 'verify-email')),
      );
      return true;
    });
    if (sent) this.outbox.notifyCommitted();
  }

  /** 202 whatever happens; a mail only to an owner, and at most MAILS_PER_ADDRESS_PER_HOUR. */
  async forgotPassword(email: string): Promise<void> {
    if (!(await this.limits.mayMail(email))) return;
    const sent = await this.dataSource.transaction(async (manager) => {
      const owner = await this.owners.findByEmail(email, manager);
      if (!owner) return false;
      const token = await this.emailTokens.issue(manager, owner.id, 'reset-password');
      await this.outbox.enqueue(manager, resetMail(owner.email, token));
      return true;
    });
    if (sent) this.outbox.notifyCommitted();
  }

  async resetPassword(dto: ResetPasswordDto): Promise<void> {
    const passwordHash = await this.passwords.hash(dto.password);
    const ownerId = await this.dataSource.transaction(async (manager) => {
      const ownerId = await this.emailTokens.consume(manager, dto.token, 'reset-password');
      const owner = ownerId ? await this.owners.findById(ownerId, manager) : null;
      if (!ownerId || !owner) throw CoreAuthErrors.invalidEmailToken();
      // Refused inside the transaction: a weak password leaves the token usable.
      assertStrongPassword(dto.password, owner.email);
      await this.emailTokens.invalidateAll(manager, ownerId, 'reset-password');
      await this.owners.setPasswordHash(manager, ownerId, passwordHash);
      await this.tokens.refreshTokens.revokeAllOf(manager, ownerId);
      return ownerId;
    });
    await this.credentials.passwordChanged(ownerId, passwordHash);
  }

  async me(ownerId: string): Promise<OwnerDto> {
    const owner = await this.owners.findById(ownerId);
    if (!owner) throw CoreAuthErrors.invalidToken();
    return OwnerDto.from(owner);
  }
}
