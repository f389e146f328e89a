import { hasSqlState, SqlState } from '../common/errors/postgres-errors.js';
import pg from 'pg';
import { ScramCachingClient } from './scram-client.js';
import { databaseOf, quoteIdentifier, withDatabase } from './postgres-identifiers.js';

/** Runs `fn` with a short-lived client on the server's maintenance database (`postgres`). */
export async function withAdminClient<T>(
  serverUrl: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new ScramCachingClient({ connectionString: withDatabase(serverUrl, 'postgres') });
  client.on('error', () => undefined); // reported by the failing query instead
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(client: pg.ClientBase, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return (rowCount ?? 0) > 0;
}

/** Creates the database named in `url` when it is missing. Safe when two processes race to create it. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  await withAdminClient(url, async (client) => {
    if (await databaseExists(client, name)) return;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    } catch (err) {
      // A duplicate database, or a unique violation on pg_database_datname_index: another process won.
      if (!hasSqlState(err, SqlState.DUPLICATE_DATABASE, SqlState.UNIQUE_VIOLATION)) throw err;
    }
  });
}

/** Drops a database, disconnecting whoever is still on it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}
