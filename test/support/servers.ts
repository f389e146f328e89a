import { randomBytes } from 'node:crypto';
import { withDatabase } from '../../src/database/postgres-identifiers.js';

/** The Postgres server the suite runs against (see test/setup/global-setup.ts). */
export function testServerUrl(): string {
  const url = process.env.TEST_SERVER_URL;
  if (!url) throw new Error('TEST_SERVER_URL is not set: run the tests through `npm test`');
  return url;
}

/** A fresh, unique database URL on the test server (created by whoever connects first). */
export function scratchDatabaseUrl(prefix = 'tenantry_t'): { url: string; name: string } {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  return { url: withDatabase(testServerUrl(), name), name };
}
