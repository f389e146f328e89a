import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { issuedAfter, issuedAtMs } from '../common/crypto/session-cutoff.js';
import { claimsWithinPolicy } from '../common/crypto/token-claims.js';
import { AuthErrors } from '../common/errors/auth-errors.js';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Operator } from './operator.entity.js';
import { OperatorTokens } from './operator-tokens.service.js';

export interface AuthenticatedOperator {
  id: string;
  email: string;
}

/** Requires a valid operator access token of an enabled operator; any token failure is 401 INVALID_TOKEN. */
@Injectable()
export class OperatorAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: OperatorTokens,
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; operator?: AuthenticatedOperator }>();
    this.tokens.keyOrOff();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw AuthErrors.invalidToken();
    const payload = await this.tokens.verify(token);
    if (!payload || !claimsWithinPolicy(payload, this.config.jwt.accessTtlSeconds))
      throw AuthErrors.invalidToken();
    const operator = await this.core.getRepository(Operator).findOneBy({ id: payload.sub });
    if (!operator || operator.disabledAt || operator.mustChangePassword) throw AuthErrors.invalidToken();
    if (!issuedAfter(issuedAtMs(payload), operator.tokensValidAfter)) throw AuthErrors.invalidToken();
    request.operator = { id: operator.id, email: operator.email };
    return true;
  }
}

export const CurrentOperator = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedOperator => ctx.switchToHttp().getRequest().operator,
);
