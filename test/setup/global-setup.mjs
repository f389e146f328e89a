// Runs outside Jest's module system, so it uses the build that `npm test` makes first (pretest).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../dist/src/database/embedded-postgres.js';

/**
 * Real Postgres for every suite: the server in `DATABASE_URL` when set, else a throw-away embedded cluster.
 * Suites create (and drop) their own databases on it, so runs never see each other's data.
 */
export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const dir = join(mkdtempSync(join(tmpdir(), 'tenantry-test-')), 'pg');
  // The suite's shared server: online moves in the suite replicate from servers of their own.
  const server = await startEmbeddedPostgres({ dir, persistent: false, maxConnections: 300, walLevel: 'replica' });
  process.env.TEST_SERVER_URL = server.url;
  globalThis.__TENANTRY_PG__ = server;
  process.stdout.write(`\n[tests] embedded Postgres at ${server.url.replace(/:[^:@]*@/, ':***@')}\n`);
}
