import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import { CommonError, CommonErrorCode } from '../errors/error-code.js';

const LOGIN_WINDOW_SECONDS = 15 * 60;

/**
 * The abuse limits of docs/reference/api.md, on rate-limiter-flexible: counters in Redis when REDIS_URL is set (shared
 * by every instance), in process memory otherwise. If Redis stops answering, each instance falls back to its
 * own memory counters (`insuranceLimiter`) rather than refusing every sign-in.
 */
@Injectable()
export class AbuseLimits implements OnApplicationShutdown {
  private readonly logger = new Logger(AbuseLimits.name);
  private readonly redis?: Redis;
  private readonly authPerIp: RateLimiterAbstract;
  private readonly loginFailures: RateLimiterAbstract;
  private readonly mails: RateLimiterAbstract;
  /** One limiter per distinct per-second limit in use (a tenant's setting). */
  private readonly perSecond = new Map<number, RateLimiterAbstract>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const limits = config.limits;
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      this.redis.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'rate-limit store'));
    }
    this.authPerIp = this.limiter('auth-ip', limits.authRequestsPerIpPerMinute, 60);
    this.loginFailures = this.limiter('login-fail', limits.loginFailuresPerAccount, LOGIN_WINDOW_SECONDS);
    this.mails = this.limiter('mail', limits.mailsPerAddressPerHour, 3600);
  }

  private limiter(keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    if (!this.redis) return memory;
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `tenantry:${keyPrefix}`,
      points,
      duration,
      insuranceLimiter: memory,
    });
  }

  /** One request from `ip` to an /auth/ route; 429 RATE_LIMITED beyond the per-minute limit. */
  async authRequest(ip: string): Promise<void> {
    await this.authPerIp.consume(ip).catch((res: unknown) => {
      throw limited(res);
    });
  }

  /** Before checking a password: 429 while the account has used up its failures in the window. */
  async assertLoginAllowed(account: string): Promise<void> {
    const res = await this.loginFailures.get(account);
    if (res && res.remainingPoints <= 0) throw limited(res);
  }

  async loginFailed(account: string): Promise<void> {
    await this.loginFailures.consume(account).catch(() => undefined);
  }

  async loginSucceeded(account: string): Promise<void> {
    await this.loginFailures.delete(account);
  }

  /** One request of tenant `tenantId` against its limit per second (every instance together with Redis). */
  async tenantRequest(tenantId: string, limit: number): Promise<void> {
    let limiter = this.perSecond.get(limit);
    if (!limiter) this.perSecond.set(limit, (limiter = this.limiter(`tenant-rps-${limit}`, limit, 1)));
    await limiter.consume(tenantId).catch((res: unknown) => {
      throw limited(res, 'This organization is over its request rate; retry shortly.');
    });
  }

  /** Whether one more verification/reset mail may go to `address` this hour (the reply is the same either way). */
  async mayMail(address: string): Promise<boolean> {
    return this.mails.consume(address.toLowerCase()).then(
      () => true,
      () => false,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

function limited(res: unknown, detail = 'Too many attempts; retry later.'): AppError {
  if (!(res instanceof RateLimiterRes)) throw res;
  return new CommonError(CommonErrorCode.RATE_LIMITED, detail, {
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });
}
