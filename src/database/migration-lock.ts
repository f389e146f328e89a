import { DataSource, Migration, MigrationExecutor } from 'typeorm';
import { holdingAdvisoryLock, LockClass } from './advisory-lock.js';

/**
 * Runs pending migrations of `ds` on one connection holding the database's migration lock, each migration
 * in its own transaction: app start, CLI and onboarding never run the same migration twice.
 */
export async function runMigrationsLocked(ds: DataSource): Promise<Migration[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    const applied = await holdingAdvisoryLock(runner, { lockClass: LockClass.migrations }, () => {
      const executor = new MigrationExecutor(ds, runner);
      executor.transaction = 'each';
      return executor.executePendingMigrations();
    });
    return applied ?? [];
  } finally {
    await runner.release();
  }
}
