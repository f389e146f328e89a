import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

import { OperationsVariables } from './environment.operations.js';

const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s]+$/;
const SMTP_URL = /^smtps?:\/\/[^\s]+$/;
const REDIS_URL = /^rediss?:\/\/[^\s]+$/;
const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
/** A hop count, or a comma list of IPv4/IPv6 addresses and CIDRs. */
const TRUST_PROXY = /^(\d{1,2}|[0-9A-Fa-f:.]+(\/\d{1,3})?(\s*,\s*[0-9A-Fa-f:.]+(\/\d{1,3})?)*)$/;
const ORIGINS = /^https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*$/;

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * The environment variables the service reads, with the names fixed by docs/reference/api.md.
 * Validated once at start; see config.loader.ts for how a failure is reported.
 */
export class EnvironmentVariables extends OperationsVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(HEADER_NAME, { message: 'must be an HTTP header name' })
  TENANT_HEADER?: string;

  /** `.app.example.com`: a request to `acme.app.example.com` is tenant `acme` without the header. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, {
    message: 'must be a host name suffix starting with a dot, e.g. .app.example.com',
  })
  TENANT_HOST_SUFFIX?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_CORE_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_TENANT_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_OPERATOR_SECRET?: string;

  /** Tenant database role passwords are derived from it (HMAC of the tenant id); never stored. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  TENANT_DB_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_ROUNDS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(SMTP_URL, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(254)
  MAIL_FROM?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(REDIS_URL, { message: 'must be a redis:// URL' })
  REDIS_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  TENANT_MAX_DATASOURCES?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  TENANT_POOL_MAX?: number;

  /** While others wait for a connection, the most of the budget one tenant holds (0 < share ≤ 1). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  TENANT_MAX_SHARE?: number;

  /** Per-tenant Prometheus series for this many tenants by load, then one `other` (0: none). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  METRICS_TOP_TENANTS?: number;

  /** Keep per-tenant figures for the operator plane (default true). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'])
  TENANT_FIGURES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  TENANT_IDLE_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(50)
  TENANT_SPARES?: number;

  /** Organizations one owner may have; beyond it onboarding answers 403 QUOTA_EXCEEDED. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  ORG_LIMIT_PER_OWNER?: number;

  /** Caps the tenant-connection budget derived from the server's max_connections (can only lower it). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  TENANT_CONNECTION_BUDGET?: number;

  /** How long a request waits in the fair queue for a tenant connection before 503. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60000)
  TENANT_ACQUIRE_TIMEOUT_MS?: number;

  /** Migrate a tenant behind the oldest schema the code serves on its first request (default true). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'])
  TENANT_MIGRATE_ON_ACCESS?: string;

  /** A PgBouncer (transaction mode) in front of the tenant server: tenant connections go through it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// URL' })
  TENANT_POOLER_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  PROVISIONING_CONCURRENCY?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  PROVISIONING_QUEUE?: number;

  /** How often rows a crash left `provisioning` or `deleting` are finished. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  PROVISIONING_SWEEP_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  MAIL_POLL_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  MAIL_RETRY_BASE_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  /** Whose X-Forwarded-For is believed: a hop count, or proxy addresses/CIDRs. Unset: nobody's. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(TRUST_PROXY, { message: 'must be a hop count or a comma list of IP addresses or CIDRs' })
  TRUST_PROXY?: string;

  /** Origins allowed by CORS (comma list). Unset: no CORS headers at all. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(ORIGINS, { message: 'must be a comma list of http(s) origins' })
  CORS_ORIGINS?: string;

  /** Bearer token /metrics requires; in production /metrics exists only when it is set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** Failed logins per account (core) or per (tenant, email) in 15 minutes before 429. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_FAILURES_PER_ACCOUNT?: number;

  /** Requests per client IP per minute to any /auth/ route (core and tenant) before 429. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_REQUESTS_PER_IP_PER_MINUTE?: number;

  /** Verification, reset and resend mails per address per hour; beyond it the reply is the same, no mail. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MAILS_PER_ADDRESS_PER_HOUR?: number;

  /** Serve /docs and /docs-json (default: true, false under NODE_ENV=production). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'])
  DOCS_ENABLED?: string;

  /** Serve the operators' console at /console (default: true, false under NODE_ENV=production). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'])
  CONSOLE_ENABLED?: string;
}
