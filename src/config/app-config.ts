/** The one typed configuration object the whole service reads. Built by config.loader.ts. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Unset means: start embedded Postgres under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  tenantHeader: string;
  /** A host name `<slug><suffix>` names the tenant (TENANT_HOST_SUFFIX); unset: the header only. */
  tenantHostSuffix?: string;
  jwt: {
    coreSecret: string;
    tenantSecret: string;
    /** The operators' context; unset (production without JWT_OPERATOR_SECRET): the operator plane is off. */
    operatorSecret?: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
  };
  bcryptRounds: number;
  mail: { smtpUrl?: string; from: string; pollMs: number; retryBaseMs: number };
  redisUrl?: string;
  limits: {
    loginFailuresPerAccount: number;
    authRequestsPerIpPerMinute: number;
    mailsPerAddressPerHour: number;
  };
  http: {
    /** Fastify's trustProxy: false (the socket address only), a hop count, or trusted proxy addresses. */
    trustProxy: false | number | string[];
    corsOrigins: string[];
    metricsToken?: string;
    docsEnabled: boolean;
    /** Serve the operators' console (dist/console) at /console. */
    consoleEnabled: boolean;
    /** Slow-client bounds (ms): all header lines, the whole request, an idle keep-alive socket. */
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
  };
  tenants: {
    /** Older bound, kept as a cap: the budget is at most maxDataSources × poolMax when it is set. */
    maxDataSources?: number;
    /** Connections one tenant holds at most. */
    poolMax: number;
    /** While others wait for a connection, the most of the budget one tenant holds. */
    maxShare: number;
    /** Idle tenant connections are closed after this. */
    idleMs: number;
    /** A tenant behind the oldest schema the code serves is migrated on its first request (else 503). */
    migrateOnAccess: boolean;
    /** Explicit cap on the tenant-connection budget (docs/reference/tenancy.md); unset: derived from the server. */
    connectionBudget?: number;
    /** How long a request waits for a tenant connection before 503 SERVICE_UNAVAILABLE. */
    acquireTimeoutMs: number;
    /** PgBouncer in front of the tenant server (transaction mode); unset: direct connections. */
    poolerUrl?: string;
    /** Onboardings built at once, and how many more may wait before 503. */
    provisioningConcurrency: number;
    provisioningQueue: number;
    /** Interval of the sweep that finishes onboardings and deletions a crash interrupted. */
    sweepMs: number;
    /** HMAC key for tenant role passwords. */
    dbSecret: string;
    /** Databases provisioned ahead of demand, so onboarding only claims and seeds one (0: off). */
    spares: number;
    /** Organizations one owner may have (provisioning, active or suspended). */
    maxPerOwner: number;
    /** How long a catalog entry is cached while the LISTEN connection is healthy. */
    catalogTtlMs: number;
    /** Days a deleted organization stays restorable (status `deleted`) before the purge job drops it; 0: dropped at once. */
    deleteGraceDays: number;
  };
  jobs: {
    /** Cron (UTC) of each scheduled job, by its name. */
    /** 5-field cron expressions (UTC); `off`: not scheduled. */
    schedules: Record<
      'draft-cleanup' | 'weekly-report' | 'token-cleanup' | 'tenant-purge' | 'backup',
      string
    >;
    /** Days a backup is kept. */
    backupRetentionDays: number;
    /** A scheduled or requested backup (and its verification) moves at most this many MB of rows a second; 0: unpaced. */
    backupMbPerSecond: number;
    /** Backups running at once per database server, every instance together (BACKUP_PER_SERVER). */
    backupsPerServer: number;
    /** WAL archive and base backups on every server, for `tenants:restore --at` (PITR_ENABLED). */
    pitrEnabled: boolean;
    /** Tenants one instance works on at once, per job. */
    concurrency: number;
    expireSeconds: number;
    monitorSeconds: number;
  };
  events: { heartbeatMs: number; pollMs: number; slowClientMs: number; maxStreamsPerUser: number };
  /** Files: on local disk under `dataDir/files` unless `s3Url`; signed URLs live `urlTtlSeconds`. */
  files: { maxBytes: number; s3Url?: string; urlTtlSeconds: number };
  /** Limits of an organization whose settings do not name one; null: unlimited. */
  tenantDefaults: {
    maxUsers: number | null;
    maxProducts: number | null;
    maxItems: number | null;
    maxStorageBytes: number | null;
    /** Requests per second one tenant may make (every instance together); null: unlimited. */
    requestsPerSecond: number | null;
  };
  /** Background workers (mail outbox, jobs); off for the CLI. */
  runWorkers: boolean;
  /** How long a SIGTERM/SIGINT shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Test-only hooks, honoured with NODE_ENV=test alone (see docs/reference/migrations.md). */
  testHooks: {
    /** The provisioner kills the process after this step (`<step>`) or throws there (`<step>:error`). */
    faultAfterStep?: string;
    /** Modules (absolute paths) whose exported migration classes extend the tenant migration set. */
    extraTenantMigrations: string[];
    /** Modules whose exported EntitySchemas extend the tenant entities (for `migration:generate` tests). */
    extraTenantEntities: string[];
    /** Each tenant's job waits this long before its work (to kill an instance mid-run). */
    jobHoldMs: number;
    /** How often each instance writes its per-tenant figures (0: the default, 10 s). */
    figuresFlushMs: number;
  };
  /** Per-tenant Prometheus series for this many tenants by load (then one `other`); 0: none. */
  metricsTopTenants: number;
  /** Per-tenant figures (requests, errors, latency, waits) for the operator plane; off: none are kept. */
  tenantFigures: boolean;
  logLevel: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
