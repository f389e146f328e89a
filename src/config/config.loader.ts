import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { AppConfig } from './app-config.js';
import { EnvironmentVariables } from './environment.js';
import { loadOrCreateSecrets } from './secrets.store.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const list = (value: string | undefined): string[] =>
  value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];

function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
}

/**
 * Validates the environment and builds the typed configuration. Throws one ConfigError that lists every
 * bad variable, so an operator fixes them all in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, { ...env }, { excludeExtraneousValues: false });
  const problems = describe(validateSync(vars, { skipMissingProperties: false }));
  const nodeEnv = (vars.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const dataDir = vars.DATA_DIR ?? '.data';

  if (nodeEnv === 'production') {
    for (const name of ['JWT_CORE_SECRET', 'JWT_TENANT_SECRET', 'TENANT_DB_SECRET'] as const) {
      if (!vars[name] && !problems.some((p) => p.startsWith(`${name}:`))) {
        problems.push(`${name}: is required when NODE_ENV=production`);
      }
    }
  }
  if (vars.JWT_CORE_SECRET && vars.JWT_CORE_SECRET === vars.JWT_TENANT_SECRET) {
    problems.push('JWT_TENANT_SECRET: must differ from JWT_CORE_SECRET');
  }
  const operatorSecret = vars.JWT_OPERATOR_SECRET;
  if (
    operatorSecret &&
    (operatorSecret === vars.JWT_CORE_SECRET || operatorSecret === vars.JWT_TENANT_SECRET)
  ) {
    problems.push('JWT_OPERATOR_SECRET: must differ from JWT_CORE_SECRET and JWT_TENANT_SECRET');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  // Secrets the environment leaves out are generated once and kept under the data dir, outside production. In
  // production the operator plane is opt-in: without JWT_OPERATOR_SECRET it is off (its routes answer 404).
  const given = {
    core: vars.JWT_CORE_SECRET,
    tenant: vars.JWT_TENANT_SECRET,
    tenantDb: vars.TENANT_DB_SECRET,
    operator: operatorSecret,
  };
  const secrets =
    given.core && given.tenant && given.tenantDb && (given.operator || nodeEnv === 'production')
      ? { ...given, core: given.core, tenant: given.tenant, tenantDb: given.tenantDb }
      : loadOrCreateSecrets(dataDir, given);

  return {
    nodeEnv,
    port: vars.PORT ?? 3000,
    databaseUrl: vars.DATABASE_URL,
    dataDir,
    tenantHeader: (vars.TENANT_HEADER ?? 'X-TENANT').toLowerCase(),
    tenantHostSuffix: vars.TENANT_HOST_SUFFIX,
    jwt: {
      coreSecret: secrets.core,
      tenantSecret: secrets.tenant,
      operatorSecret: secrets.operator,
      accessTtlSeconds: 900,
      refreshTtlSeconds: 30 * 86400,
    },
    bcryptRounds: vars.BCRYPT_ROUNDS ?? 12,
    mail: {
      smtpUrl: vars.SMTP_URL,
      from: vars.MAIL_FROM ?? 'Tenantry <no-reply@tenantry.local>',
      pollMs: vars.MAIL_POLL_MS ?? 2000,
      retryBaseMs: vars.MAIL_RETRY_BASE_MS ?? 5000,
    },
    redisUrl: vars.REDIS_URL,
    limits: {
      loginFailuresPerAccount: vars.LOGIN_FAILURES_PER_ACCOUNT ?? 10,
      authRequestsPerIpPerMinute: vars.AUTH_REQUESTS_PER_IP_PER_MINUTE ?? 60,
      mailsPerAddressPerHour: vars.MAILS_PER_ADDRESS_PER_HOUR ?? 3,
    },
    http: {
      trustProxy: parseTrustProxy(vars.TRUST_PROXY),
      corsOrigins: list(vars.CORS_ORIGINS),
      metricsToken: vars.METRICS_TOKEN,
      docsEnabled: vars.DOCS_ENABLED ? vars.DOCS_ENABLED === 'true' : nodeEnv !== 'production',
      consoleEnabled: vars.CONSOLE_ENABLED ? vars.CONSOLE_ENABLED === 'true' : nodeEnv !== 'production',
      headersTimeoutMs: vars.HTTP_HEADERS_TIMEOUT_MS ?? 10_000,
      requestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS ?? 300_000,
      keepAliveTimeoutMs: vars.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? 5_000,
    },
    tenants: {
      maxDataSources: vars.TENANT_MAX_DATASOURCES,
      poolMax: vars.TENANT_POOL_MAX ?? 5,
      maxShare: vars.TENANT_MAX_SHARE ?? 0.5,
      idleMs: vars.TENANT_IDLE_MS ?? 60_000,
      connectionBudget: vars.TENANT_CONNECTION_BUDGET,
      acquireTimeoutMs: vars.TENANT_ACQUIRE_TIMEOUT_MS ?? 1000,
      migrateOnAccess: vars.TENANT_MIGRATE_ON_ACCESS !== 'false',
      poolerUrl: vars.TENANT_POOLER_URL,
      provisioningConcurrency: vars.PROVISIONING_CONCURRENCY ?? 2,
      provisioningQueue: vars.PROVISIONING_QUEUE ?? 16,
      sweepMs: vars.PROVISIONING_SWEEP_MS ?? 30_000,
      dbSecret: secrets.tenantDb,
      spares: vars.TENANT_SPARES ?? 0,
      maxPerOwner: vars.ORG_LIMIT_PER_OWNER ?? 10,
      catalogTtlMs: 30_000,
      deleteGraceDays: vars.TENANT_DELETE_GRACE_DAYS ?? 0,
    },
    jobs: {
      schedules: {
        'draft-cleanup': vars.JOB_DRAFT_CLEANUP_CRON ?? '0 2 * * *',
        'weekly-report': vars.JOB_WEEKLY_REPORT_CRON ?? '0 0 * * 0',
        'token-cleanup': vars.JOB_TOKEN_CLEANUP_CRON ?? '30 3 * * *',
        'tenant-purge': vars.JOB_TENANT_PURGE_CRON ?? '15 * * * *',
        backup: vars.BACKUP_CRON ?? '0 3 * * *',
      },
      backupRetentionDays: vars.BACKUP_RETENTION_DAYS ?? 7,
      backupMbPerSecond: vars.BACKUP_MAX_MB_PER_SECOND ?? 10,
      backupsPerServer: vars.BACKUP_PER_SERVER ?? 1,
      pitrEnabled: vars.PITR_ENABLED ? vars.PITR_ENABLED === 'true' : !vars.DATABASE_URL,
      concurrency: vars.JOB_CONCURRENCY ?? 4,
      expireSeconds: vars.JOB_EXPIRE_SECONDS ?? 900,
      monitorSeconds: vars.JOB_MONITOR_SECONDS ?? 30,
    },
    events: {
      heartbeatMs: vars.EVENTS_HEARTBEAT_MS ?? 15_000,
      pollMs: vars.EVENTS_POLL_MS ?? 5_000,
      slowClientMs: vars.EVENTS_SLOW_CLIENT_MS ?? 10_000,
      maxStreamsPerUser: vars.EVENTS_MAX_STREAMS_PER_USER ?? 5,
    },
    files: {
      maxBytes: vars.FILE_MAX_BYTES ?? 25 * 1024 * 1024,
      s3Url: vars.S3_URL,
      urlTtlSeconds: nodeEnv === 'test' ? Number(env.TENANTRY_FILE_URL_TTL_SECONDS ?? 300) || 300 : 300,
    },
    tenantDefaults: {
      maxUsers: vars.TENANT_DEFAULT_MAX_USERS ?? null,
      maxProducts: vars.TENANT_DEFAULT_MAX_PRODUCTS ?? null,
      maxItems: vars.TENANT_DEFAULT_MAX_ITEMS ?? null,
      maxStorageBytes: vars.TENANT_DEFAULT_MAX_STORAGE_BYTES ?? null,
      requestsPerSecond: vars.TENANT_DEFAULT_REQUESTS_PER_SECOND ?? null,
    },
    runWorkers: true,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS ?? 20_000,
    testHooks: {
      faultAfterStep: nodeEnv === 'test' ? env.TENANTRY_FAULT_AFTER_STEP : undefined,
      extraTenantMigrations: nodeEnv === 'test' ? list(env.TENANTRY_EXTRA_TENANT_MIGRATIONS) : [],
      extraTenantEntities: nodeEnv === 'test' ? list(env.TENANTRY_EXTRA_TENANT_ENTITIES) : [],
      jobHoldMs: nodeEnv === 'test' ? Number(env.TENANTRY_JOB_HOLD_MS ?? 0) || 0 : 0,
      figuresFlushMs: nodeEnv === 'test' ? Number(env.TENANTRY_FIGURES_FLUSH_MS ?? 0) || 0 : 0,
    },
    metricsTopTenants: vars.METRICS_TOP_TENANTS ?? 20,
    tenantFigures: vars.TENANT_FIGURES !== 'false',
    logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
  };
}

function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (!value) return false;
  return /^\d+$/.test(value) ? Number(value) : list(value);
}
