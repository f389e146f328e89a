import { DataSource, Migration, MigrationExecutor, QueryRunner } from 'typeorm';

/**
 * Advisory locks are scoped to the database they are taken in, so one constant key serialises every
 * migration run of that database, whichever process (app start, CLI, onboarding) runs it.
 */
export const MIGRATION_LOCK_KEY = 7_360_241;

export async function withMigrationLock<T>(
  ds: DataSource,
  fn: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await fn(runner);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** Runs pending migrations of `ds` on the lock's own connection, each in its own transaction. */
export async function runMigrationsLocked(ds: DataSource): Promise<Migration[]> {
  return withMigrationLock(ds, async (runner) => {
    const executor = new MigrationExecutor(ds, runner);
    executor.transaction = 'each';
    return executor.executePendingMigrations();
  });
}
