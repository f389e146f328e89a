import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface StoredSecrets {
  core: string;
  tenant: string;
  tenantDb: string;
  operator: string;
}

/**
 * Outside production the JWT secrets may be omitted: they are generated once and kept in
 * `<dataDir>/secrets.json` (mode 0600), so tokens survive a restart of a developer's service.
 * Secrets given through the environment win and are never written to disk.
 */
export function loadOrCreateSecrets(dataDir: string, given: Partial<StoredSecrets>): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  const stored: Partial<StoredSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const fresh = () => randomBytes(48).toString('base64url');
  const kept: StoredSecrets = {
    core: stored.core ?? fresh(),
    tenant: stored.tenant ?? fresh(),
    tenantDb: stored.tenantDb ?? fresh(),
    operator: stored.operator ?? fresh(),
  };
  if (
    stored.core !== kept.core ||
    stored.tenant !== kept.tenant ||
    stored.tenantDb !== kept.tenantDb ||
    stored.operator !== kept.operator
  ) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(kept), { mode: 0o600 });
  }
  return {
    core: given.core ?? kept.core,
    tenant: given.tenant ?? kept.tenant,
    tenantDb: given.tenantDb ?? kept.tenantDb,
    operator: given.operator ?? kept.operator,
  };
}
