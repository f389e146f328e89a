import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';

/**
 * Two patches reach into libraries' private members (scram-client.ts: pg.Client's SASL step;
 * shared-tenant-datasource.ts: TypeORM's Postgres driver and query runner). Their versions are pinned
 * exactly in package.json, and these checks run at start-up and in a unit spec, so an upgrade that moves a
 * member fails loudly instead of silently falling back or reaching the wrong database.
 */
export const PINNED_VERSIONS = { pg: '8.23.1', typeorm: '1.1.1' } as const;

const require = createRequire(import.meta.url);

function fail(what: string): never {
  throw new Error(
    `private API patch guard: ${what}. The patch must be reviewed against the new version before it is upgraded ` +
      `(src/database/private-api-guards.ts).`,
  );
}

/** The installed versions are the ones the patches were written and tested against. */
export function checkPinnedVersions(installed: Record<string, string> = installedVersions()): void {
  for (const [name, pinned] of Object.entries(PINNED_VERSIONS))
    if (installed[name] !== pinned)
      fail(`${name} ${installed[name]} is installed, the patch is for ${pinned}`);
}

function installedVersions(): Record<string, string> {
  return Object.fromEntries(Object.keys(PINNED_VERSIONS).map((name) => [name, installedVersion(name)]));
}

/** The version in the package's own package.json, found from its entry (TypeORM exports no package.json). */
function installedVersion(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (manifest.name === name) return manifest.version;
  }
  return 'unknown';
}

type Members = Record<string, unknown>;

/**
 * pg: the client answers the server's SASL continue message with `_handleAuthSASLContinue`, which reads
 * `saslSession` and sends through `connection.sendSCRAMClientFinalMessage` — what ScramCachingClient overrides
 * and calls.
 */
export function checkPgSaslPatch(
  client: Members = pg.Client.prototype as unknown as Members,
  connection: Members = (pg as unknown as { Connection: { prototype: Members } }).Connection.prototype,
): void {
  const handler = client._handleAuthSASLContinue;
  if (typeof handler !== 'function') fail('pg.Client.prototype._handleAuthSASLContinue is gone');
  const source = String(handler);
  if (!source.includes('saslSession') || !source.includes('sendSCRAMClientFinalMessage'))
    fail(
      'pg.Client.prototype._handleAuthSASLContinue no longer uses saslSession / sendSCRAMClientFinalMessage',
    );
  if (typeof connection.sendSCRAMClientFinalMessage !== 'function')
    fail('pg Connection.prototype.sendSCRAMClientFinalMessage is gone');
}

/**
 * TypeORM: the Postgres driver borrows its connections through `obtainMasterConnection` and keeps its pool in
 * `master`; a query runner that already holds `databaseConnection` uses it instead of asking the driver —
 * what the shared tenant DataSource replaces and binds.
 */
export function checkTypeormDriverPatch(
  driver: Members = typeormPrototype('driver/postgres/PostgresDriver.js', 'PostgresDriver'),
  runner: Members = typeormPrototype('driver/postgres/PostgresQueryRunner.js', 'PostgresQueryRunner'),
): void {
  if (typeof driver.obtainMasterConnection !== 'function')
    fail('TypeORM PostgresDriver.prototype.obtainMasterConnection is gone');
  if (!String(driver.disconnect).includes('this.master'))
    fail('TypeORM PostgresDriver no longer keeps its pool in `master`');
  if (typeof runner.connect !== 'function' || !String(runner.connect).includes('this.databaseConnection'))
    fail('TypeORM PostgresQueryRunner.prototype.connect no longer reuses `databaseConnection`');
}

function typeormPrototype(path: string, name: string): Members {
  const module = require(`typeorm/${path}`) as Record<string, { prototype: Members }>;
  return module[name]?.prototype ?? {};
}

/** Every guard: run once at start-up, before the first connection. */
export function assertPrivateApiPatches(): void {
  checkPinnedVersions();
  checkPgSaslPatch();
  checkTypeormDriverPatch();
}
