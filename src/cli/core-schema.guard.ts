import { DataSource } from 'typeorm';

/** Commands other than migrate:core need a current core schema; say so plainly instead of an SQL error. */
export async function assertCoreCurrent(core: DataSource): Promise<void> {
  if (await core.showMigrations()) {
    throw new Error('the core database has pending migrations: run `migrate:core` first');
  }
}
