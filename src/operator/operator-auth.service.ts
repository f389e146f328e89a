import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordService } from '../common/crypto/password.service.js';
import { cutOffNow } from '../common/crypto/session-cutoff.js';
import { AuthErrors } from '../common/errors/auth-errors.js';
import { CommonError, CommonErrorCode } from '../common/errors/error-code.js';
import { AbuseLimits } from '../common/limits/abuse-limits.service.js';
import { assertStrongPassword } from '../common/validation/password-policy.js';
import type { TokenPairDto } from '../core/auth/dto/token-pair.dto.js';
import type { OperatorLoginDto } from './operator-auth.dto.js';
import { recordAction } from './operator-actions.js';
import { Operator } from './operator.entity.js';
import { OperatorErrors } from './operator.errors.js';
import { OperatorTokens } from './operator-tokens.service.js';

/** Operators sign in, refresh and log out; the first login replaces the one-time password. */
@Injectable()
export class OperatorAuthService {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly passwords: PasswordService,
    private readonly tokens: OperatorTokens,
    private readonly limits: AbuseLimits,
  ) {}

  /**
   * Signs in; `newPassword` replaces the password (required while it is the one-time one, which it may not
   * repeat) and ends every earlier session. After LOGIN_FAILURES_PER_ACCOUNT failures the account answers
   * 429 until its window passes, as owners' and users' accounts do.
   */
  async login(dto: OperatorLoginDto): Promise<TokenPairDto> {
    this.tokens.keyOrOff();
    const account = `operator:${dto.email}`;
    await this.limits.assertLoginAllowed(account);
    const operator = await this.core.getRepository(Operator).findOneBy({ email: dto.email });
    const matches = await this.passwords.verify(dto.password, operator?.passwordHash);
    if (!operator || !matches || operator.disabledAt) {
      await this.limits.loginFailed(account);
      throw AuthErrors.invalidCredentials();
    }
    await this.limits.loginSucceeded(account);
    if (operator.mustChangePassword && !dto.newPassword) throw OperatorErrors.passwordChangeRequired();
    if (dto.newPassword !== undefined) {
      if (dto.newPassword === dto.password)
        throw new CommonError(
          CommonErrorCode.VALIDATION_FAILED,
          'The new password must differ from the current one.',
          {
            fields: [{ field: 'newPassword', message: 'must differ from password' }],
          },
        );
      assertStrongPassword(dto.newPassword, operator.email);
    }
    const passwordHash = dto.newPassword === undefined ? null : await this.passwords.hash(dto.newPassword);
    return this.core.transaction(async (m) => {
      if (passwordHash) {
        await m
          .getRepository(Operator)
          .update(
            { id: operator.id },
            { passwordHash, mustChangePassword: false, tokensValidAfter: cutOffNow() },
          );
        await recordAction(m, {
          operatorId: operator.id,
          actor: operator.email,
          action: 'password',
          result: 'ok',
        });
      }
      return this.tokens.issuePair(m, operator.id);
    });
  }

  /** A reused refresh token revokes its family: the revocation commits before the 401 is thrown. */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    this.tokens.keyOrOff();
    const result = await this.core.transaction(async (m) => {
      const rotated = await this.tokens.refreshTokens.rotate(m, refreshToken);
      if (rotated.outcome !== 'rotated') return rotated;
      const operator = await m.getRepository(Operator).findOneBy({ id: rotated.subjectId });
      return operator && !operator.disabledAt ? rotated : ({ outcome: 'invalid' } as const);
    });
    if (result.outcome === 'reused') throw AuthErrors.refreshTokenReused();
    if (result.outcome !== 'rotated') throw AuthErrors.invalidRefreshToken();
    return this.tokens.pair(result.subjectId, result.token);
  }

  /** Ends the session: the refresh token's family and every access token issued so far. */
  async logout(operatorId: string, refreshToken: string): Promise<void> {
    await this.core.transaction(async (m) => {
      const family = await this.tokens.refreshTokens.familyOf(m, refreshToken, operatorId);
      if (family) await this.tokens.refreshTokens.revokeFamily(m, family);
      await m.getRepository(Operator).update({ id: operatorId }, { tokensValidAfter: cutOffNow() });
    });
  }
}
