/** The one typed configuration object the whole service reads. Built by config.loader.ts. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Unset means: start embedded Postgres under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  tenantHeader: string;
  jwt: { coreSecret: string; tenantSecret: string; accessTtlSeconds: number; refreshTtlSeconds: number };
  bcryptRounds: number;
  mail: { smtpUrl?: string; from: string; pollMs: number; retryBaseMs: number };
  redisUrl?: string;
  tenants: { maxDataSources: number; poolMax: number; idleMs: number };
  logLevel: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
