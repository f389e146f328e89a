import pg from 'pg';
import { SCHEMAS } from '../src/schemas.js';

const CORE_MIGRATIONS = SCHEMAS.core.migrations;
import { prepareCoreDatabase } from '../src/database/core-database.js';
import { dropDatabase } from '../src/database/postgres-admin.js';
import { scratchDatabaseUrl, testServerUrl } from './support/servers.js';

describe('core database preparation', () => {
  it('creates the missing core database and migrates it once when two instances start together', async () => {
    const { url, name } = scratchDatabaseUrl();
    try {
      const results = await Promise.all([
        prepareCoreDatabase(url, CORE_MIGRATIONS),
        prepareCoreDatabase(url, CORE_MIGRATIONS),
        prepareCoreDatabase(url, CORE_MIGRATIONS),
      ]);
      // Exactly one of the racers applied the migrations; the others found nothing pending.
      expect(results.map((r) => r.length).sort()).toEqual([0, 0, CORE_MIGRATIONS.length]);

      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const { rows } = await db.query('SELECT name FROM migrations');
      await db.end();
      expect(rows).toHaveLength(CORE_MIGRATIONS.length);

      // A restart finds nothing to do.
      expect(await prepareCoreDatabase(url, CORE_MIGRATIONS)).toEqual([]);
    } finally {
      await dropDatabase(testServerUrl(), name);
    }
  });
});
