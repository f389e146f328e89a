import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, registerDecorator, ValidationOptions } from 'class-validator';
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

function OptionalCount(max = 2 ** 31 - 1): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [
      Transform(emptyToUndefined),
      IsOptional(),
      Type(() => Number),
      IsInt(),
      Min(0),
      Max(max),
    ])
      decorate(target, key);
  };
}

/** The variables of scheduled jobs and tenant quotas (docs/api.md, "Configuration"). */
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

  /** Tenants one instance works on at once, per job. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(32)
  JOB_CONCURRENCY?: number;

  /** A tenant's job still running after this is presumed lost with its instance and retried elsewhere. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  JOB_EXPIRE_SECONDS?: number;

  /** How often the cluster checks schedules and expired jobs. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(300)
  JOB_MONITOR_SECONDS?: number;

  @OptionalCount()
  TENANT_DEFAULT_MAX_USERS?: number;

  @OptionalCount()
  TENANT_DEFAULT_MAX_PRODUCTS?: number;

  @OptionalCount()
  TENANT_DEFAULT_MAX_ITEMS?: number;

  @OptionalCount(Number.MAX_SAFE_INTEGER)
  TENANT_DEFAULT_MAX_STORAGE_BYTES?: number;
}
