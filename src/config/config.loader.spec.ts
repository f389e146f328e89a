import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.loader.js';

const secrets = { JWT_CORE_SECRET: 'c'.repeat(32), JWT_TENANT_SECRET: 't'.repeat(32) };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ ...secrets });
    expect(config).toMatchObject({
      port: 3000,
      tenantHeader: 'x-tenant',
      bcryptRounds: 12,
      databaseUrl: undefined,
    });
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({
        PORT: '-1',
        BCRYPT_ROUNDS: 'x',
        SMTP_URL: 'http://nope',
        TENANT_POOL_MAX: '0',
        JWT_CORE_SECRET: 'x',
      });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const names = (err as ConfigError).problems.map((p) => p.split(':')[0]).sort();
      expect(names).toEqual(['BCRYPT_ROUNDS', 'JWT_CORE_SECRET', 'PORT', 'SMTP_URL', 'TENANT_POOL_MAX']);
    }
  });

  it('validates job schedules and tenant default limits at start', () => {
    const config = loadConfig({
      ...secrets,
      JOB_WEEKLY_REPORT_CRON: '15 6 * * 1',
      TENANT_DEFAULT_MAX_USERS: '25',
      TENANT_DEFAULT_REQUESTS_PER_SECOND: '50',
      TENANT_DELETE_GRACE_DAYS: '30',
      BACKUP_CRON: 'off',
    });
    expect(config.jobs.schedules).toEqual({
      'draft-cleanup': '0 2 * * *',
      'weekly-report': '15 6 * * 1',
      'token-cleanup': '30 3 * * *',
      'tenant-purge': '15 * * * *',
      backup: 'off',
    });
    expect(loadConfig(secrets).jobs.schedules.backup).toBe('0 3 * * *');
    expect(loadConfig(secrets).jobs.backupRetentionDays).toBe(7);
    expect(config.tenants.deleteGraceDays).toBe(30);
    expect(config.tenantDefaults).toEqual({
      maxUsers: 25,
      maxProducts: null,
      maxItems: null,
      maxStorageBytes: null,
      requestsPerSecond: 50,
    });
    try {
      loadConfig({
        ...secrets,
        JOB_DRAFT_CLEANUP_CRON: '61 2 * * *',
        JOB_TOKEN_CLEANUP_CRON: '*/5 * * * * *',
        JOB_TENANT_PURGE_CRON: 'hourly',
        BACKUP_CRON: 'never',
        BACKUP_RETENTION_DAYS: '0',
        TENANT_DELETE_GRACE_DAYS: '-1',
        JOB_CONCURRENCY: '0',
        TENANT_DEFAULT_MAX_ITEMS: '-3',
        TENANT_DEFAULT_REQUESTS_PER_SECOND: '0.5',
        TENANT_MAX_SHARE: '1.5',
        S3_URL: 'http://127.0.0.1:9000/bucket',
      });
      throw new Error('expected a ConfigError');
    } catch (err) {
      const names = (err as ConfigError).problems.map((p) => p.split(':')[0]).sort();
      expect(names).toEqual([
        'BACKUP_CRON',
        'BACKUP_RETENTION_DAYS',
        'JOB_CONCURRENCY',
        'JOB_DRAFT_CLEANUP_CRON',
        'JOB_TENANT_PURGE_CRON',
        'JOB_TOKEN_CLEANUP_CRON',
        'S3_URL',
        'TENANT_DEFAULT_MAX_ITEMS',
        'TENANT_DEFAULT_REQUESTS_PER_SECOND',
        'TENANT_DELETE_GRACE_DAYS',
        'TENANT_MAX_SHARE',
      ]);
    }
  });

  it('requires both JWT secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_CORE_SECRET[\s\S]*JWT_TENANT_SECRET/);
  });

  it('names every missing production secret in one message, with the other bad values', () => {
    let problems: string[] = [];
    try {
      loadConfig({
        NODE_ENV: 'production',
        PORT: 'abc',
        JWT_CORE_SECRET: 'short',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '1',
      });
    } catch (err) {
      problems = (err as ConfigError).problems.map((p) => p.split(':')[0]).sort();
    }
    expect(problems).toEqual([
      'HTTP_KEEP_ALIVE_TIMEOUT_MS',
      'JWT_CORE_SECRET',
      'JWT_TENANT_SECRET',
      'PORT',
      'TENANT_DB_SECRET',
    ]);
  });

  it('refuses the same secret for both contexts', () => {
    expect(() => loadConfig({ JWT_CORE_SECRET: 'x'.repeat(40), JWT_TENANT_SECRET: 'x'.repeat(40) })).toThrow(
      ConfigError,
    );
  });

  it('outside production generates secrets once and keeps them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantry-cfg-'));
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.jwt.coreSecret).toHaveLength(64);
    expect(a.jwt.coreSecret).not.toBe(a.jwt.tenantSecret);
    expect(b.jwt).toEqual(a.jwt);
  });
});
