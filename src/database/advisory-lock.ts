import { ScramCachingClient } from './scram-client.js';

/**
 * Every advisory lock of the service, in one place. A lock is (class, hashtext(id)) in Postgres' two-int
 * key space; locks are scoped to the database they are taken in, so `migrations` serialises the migration
 * runs of one database (core, template or tenant), whichever process runs them.
 */
export const LockClass = {
  migrations: 7_360_241,
  template: 7_360_242,
  provisioning: 7_360_243,
  spares: 7_360_244,
  ownerQuota: 7_360_245,
  tenantQuota: 7_360_246,
  tenantEvents: 7_360_247,
  /** Placing a new tenant on a server (DatabaseServers.place). */
  placement: 7_360_248,
  /** One queued-or-running owner job of a kind per tenant (JobRunner.sendForTenantOnce). */
  tenantJobs: 7_360_249,
  /** Owner-started maintenance: one at a time per database server (by server name). */
  serverMaintenance: 7_360_250,
  /** The one process executing a fleet migration run (by run id). */
  fleetRuns: 7_360_251,
  /** One backup of a tenant at a time (by tenant id), whatever started it. */
  backups: 7_360_252,
  /** One base backup of a database server at a time (by server name). */
  baseBackups: 7_360_253,
  /** The places for backups on one database server (by `<server>:<place>`; BACKUP_PER_SERVER of them). */
  backupPlaces: 7_360_254,
} as const;

export interface AdvisoryLock {
  lockClass: (typeof LockClass)[keyof typeof LockClass];
  /** What is locked within the class (a tenant id…); one lock per class when omitted. */
  id?: string;
}

export interface AdvisoryLockOptions {
  /** Give up at once (resolves undefined, `fn` not run) instead of waiting for the lock. */
  tryOnly?: boolean;
}

/** A session that can run SQL: a `pg` client or a TypeORM query runner. */
export interface LockSession {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/**
 * Runs `fn` holding `lock` on `session` and releases it after. A failed unlock means a broken session, which
 * its owner closes — and the lock goes with it.
 */
export async function holdingAdvisoryLock<T>(
  session: LockSession,
  lock: AdvisoryLock,
  fn: () => Promise<T>,
  options: AdvisoryLockOptions = {},
): Promise<T | undefined> {
  const params = [lock.lockClass, lock.id ?? ''];
  if (options.tryOnly) {
    const rows = rowsOf<{ locked: boolean }>(
      await session.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', params),
    );
    if (!rows[0]?.locked) return undefined;
  } else {
    await session.query('SELECT pg_advisory_lock($1, hashtext($2))', params);
  }
  try {
    return await fn();
  } finally {
    await session.query('SELECT pg_advisory_unlock($1, hashtext($2))', params).catch(() => undefined);
  }
}

/** Takes `lock` until the end of the session's open transaction (`pg_advisory_xact_lock`). */
export async function lockForTransaction(session: LockSession, lock: AdvisoryLock): Promise<void> {
  await session.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lock.lockClass, lock.id ?? '']);
}

/**
 * Runs `fn` holding `lock` on a connection of its own — never one of a shared pool, so holding the lock for
 * a long job cannot starve the pool the job itself needs (the onboarding deadlock the load tests found).
 * A crash releases the lock with the connection.
 */
export async function withAdvisoryLock<T>(
  url: string,
  lock: AdvisoryLock,
  fn: () => Promise<T>,
  options: AdvisoryLockOptions & { applicationName?: string } = {},
): Promise<T | undefined> {
  const client = new ScramCachingClient({
    connectionString: url,
    application_name: options.applicationName ?? 'tenantry-lock',
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await holdingAdvisoryLock(client, lock, fn, options);
  } finally {
    await client.end().catch(() => undefined);
  }
}
