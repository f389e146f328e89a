import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordService } from '../common/crypto/password.service.js';
import { cutOffNow } from '../common/crypto/session-cutoff.js';
import { AuthErrors } from '../common/errors/auth-errors.js';
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
  ) {}

  async login(dto: OperatorLoginDto): Promise<TokenPairDto> {
    this.tokens.keyOrOff();
    const operator = await this.core.getRepository(Operator).findOneBy({ email: dto.email });
    const matches = await this.passwords.verify(dto.password, operator?.passwordHash);
    if (!operator || !matches || operator.disabledAt) throw AuthErrors.invalidCredentials();
    return this.core.transaction(async (m) => {
      if (operator.mustChangePassword) {
        if (!dto.newPassword) throw OperatorErrors.passwordChangeRequired();
        assertStrongPassword(dto.newPassword, operator.email);
        const passwordHash = await this.passwords.hash(dto.newPassword);
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

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    this.tokens.keyOrOff();
    return this.core.transaction(async (m) => {
      const rotated = await this.tokens.refreshTokens.rotate(m, refreshToken);
      if (rotated.outcome === 'reused') throw AuthErrors.refreshTokenReused();
      if (rotated.outcome !== 'rotated') throw AuthErrors.invalidRefreshToken();
      const operator = await m.getRepository(Operator).findOneBy({ id: rotated.subjectId });
      if (!operator || operator.disabledAt) throw AuthErrors.invalidRefreshToken();
      return this.tokens.pair(operator.id, rotated.token);
    });
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
