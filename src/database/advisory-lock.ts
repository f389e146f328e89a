import pg from 'pg';

/** The advisory-lock keys of the service, in one place (two-int form: class, then a hash of the id). */
export const LOCK_CLASS = {
  provisioning: 7_360_243,
} as const;

export interface AdvisoryLockOptions {
  /** Give up at once (returns undefined) instead of waiting for the lock. */
  tryOnly?: boolean;
  applicationName?: string;
}

/**
 * Runs `fn` holding a session advisory lock on a connection of its own — never one of a shared pool, so
 * holding the lock for a long job cannot starve the pool the job itself needs (the onboarding deadlock
 * the load tests found). A crash releases the lock with the connection.
 */
export async function withAdvisoryLock<T>(
  url: string,
  lockClass: number,
  id: string,
  fn: () => Promise<T>,
  options: AdvisoryLockOptions = {},
): Promise<T | undefined> {
  const client = new pg.Client({
    connectionString: url,
    application_name: options.applicationName ?? 'tenantry-lock',
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    if (options.tryOnly) {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [lockClass, id],
      );
      if (!rows[0].locked) return undefined;
    } else {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [lockClass, id]);
    }
    return await fn();
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => undefined);
  }
}
