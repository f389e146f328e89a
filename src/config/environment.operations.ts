import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import cronParser from 'cron-parser';

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** A 5-field cron expression (minute hour day month weekday) that cron-parser, and so pg-boss, accepts. */
function IsCron(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCron',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a 5-field cron expression (e.g. "0 2 * * *")', ...options },
      validator: {
        validate(value: unknown) {
          if (value === 'off' && propertyName === 'BACKUP_CRON') return true;
          if (typeof value !== 'string' || value.trim().split(/\s+/).length !== 5) return false;
          try {
            cronParser.parseExpression(value, { tz: 'UTC' });
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

/** An optional integer variable within [min, max]; empty counts as unset. */
function OptionalInt(min: number, max: number): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [
      Transform(emptyToUndefined),
      IsOptional(),
      Type(() => Number),
      IsInt(),
      Min(min),
      Max(max),
    ])
      decorate(target, key);
  };
}

const OptionalCount = (max = 2 ** 31 - 1) => OptionalInt(0, max);

/** The variables of scheduled jobs, event streams, files and tenant quotas (docs/reference/api.md, "Environment variables"). */
export class OperationsVariables {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsCron()
  JOB_DRAFT_CLEANUP_CRON?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsCron()
  JOB_WEEKLY_REPORT_CRON?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsCron()
  JOB_TOKEN_CLEANUP_CRON?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsCron()
  JOB_TENANT_PURGE_CRON?: string;

  /** When every active tenant is backed up (once per cluster); `off` disables. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsCron({ message: 'must be a 5-field cron expression (e.g. "0 3 * * *") or off' })
  BACKUP_CRON?: string;

  /** Days a backup is kept. */
  @OptionalInt(1, 3650)
  BACKUP_RETENTION_DAYS?: number;

  /** Backups running at once on one database server, every instance together. */
  @OptionalInt(1, 64)
  BACKUP_PER_SERVER?: number;

  /** MB of rows a second a backup (and its verification) moves at most; 0: unpaced. */
  @OptionalInt(0, 10000)
  BACKUP_MAX_MB_PER_SECOND?: number;

  /** WAL archiving and base backups for point-in-time restores (default: true on the embedded server). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'])
  PITR_ENABLED?: string;

  /** Days a deleted organization can still be restored before the purge drops its database (0: at once). */
  @OptionalInt(0, 3650)
  TENANT_DELETE_GRACE_DAYS?: number;

  /** Tenants one instance works on at once, per job. */
  @OptionalInt(1, 32)
  JOB_CONCURRENCY?: number;

  /** A tenant's job still running after this is presumed lost with its instance and retried elsewhere. */
  @OptionalInt(1, 86_400)
  JOB_EXPIRE_SECONDS?: number;

  /** How often the cluster checks schedules and expired jobs. */
  @OptionalInt(1, 300)
  JOB_MONITOR_SECONDS?: number;

  /** Comment lines sent on idle event streams so that proxies keep them open. */
  @OptionalInt(100, 300_000)
  EVENTS_HEARTBEAT_MS?: number;

  /** How often open event streams re-read their tenant's log (covers a lost channel message). */
  @OptionalInt(100, 300_000)
  EVENTS_POLL_MS?: number;

  /** Event streams one tenant user may hold open on an instance (429 RATE_LIMITED beyond it). */
  @OptionalInt(1, 1000)
  EVENTS_MAX_STREAMS_PER_USER?: number;

  /** A request whose header lines have not all arrived within this is answered 408 and its socket closed. */
  @OptionalInt(1000, 300_000)
  HTTP_HEADERS_TIMEOUT_MS?: number;

  /** A request whose whole body has not arrived within this is answered 408 and its socket closed. */
  @OptionalInt(1000, 3_600_000)
  HTTP_REQUEST_TIMEOUT_MS?: number;

  /** How long a shutdown (SIGTERM, SIGINT) may take before the process exits anyway (non-zero). */
  @OptionalInt(1000, 600_000)
  SHUTDOWN_TIMEOUT_MS?: number;

  /** An idle keep-alive socket is closed after this. */
  @OptionalInt(100, 300_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS?: number;

  /** Largest file one upload may carry (413 FILE_TOO_LARGE beyond it). */
  @OptionalInt(1, 5 * 1024 ** 3)
  FILE_MAX_BYTES?: number;

  /** An S3-compatible file store: `http(s)://<key>:<secret>@<host>[:port]/<bucket>[?region=…]`. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[^:@\s/]+:[^@\s/]+@[^/\s]+\/[a-z0-9.-]{3,63}\/?(\?region=[a-z0-9-]+)?$/, {
    message: 'must be http(s)://<access key>:<secret>@<host>/<bucket>',
  })
  S3_URL?: string;

  /** An event stream whose client has not read for this long (its buffer full) is closed. */
  @OptionalInt(100, 300_000)
  EVENTS_SLOW_CLIENT_MS?: number;

  @OptionalCount()
  TENANT_DEFAULT_MAX_USERS?: number;

  @OptionalCount()
  TENANT_DEFAULT_MAX_PRODUCTS?: number;

  @OptionalCount()
  TENANT_DEFAULT_MAX_ITEMS?: number;

  @OptionalCount(Number.MAX_SAFE_INTEGER)
  TENANT_DEFAULT_MAX_STORAGE_BYTES?: number;

  /** At least 1 (unset: unlimited), as the organization setting. */
  @OptionalInt(1, 1_000_000)
  TENANT_DEFAULT_REQUESTS_PER_SECOND?: number;
}
