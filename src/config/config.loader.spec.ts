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

  it('requires both JWT secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_CORE_SECRET[\s\S]*JWT_TENANT_SECRET/);
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
