import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, DataSourceOptions, MigrationInterface } from 'typeorm';
import { buildDataSourceOptions, type SchemaTarget } from './datasource-options.js';

export type { SchemaTarget };
import { dropDatabase, ensureDatabase } from './postgres-admin.js';
import { withDatabase } from './postgres-identifiers.js';
import { runMigrationsLocked } from './migration-lock.js';

export const MIGRATION_DIRS: Record<SchemaTarget, string> = {
  core: 'migrations-core',
  tenant: 'migrations-tenant',
};
const EXPORT_NAMES: Record<SchemaTarget, string> = { core: 'CORE_MIGRATIONS', tenant: 'TENANT_MIGRATIONS' };

export interface GeneratedMigration {
  file: string;
  className: string;
  up: string[];
  down: string[];
}

function escape(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function render(className: string, up: string[], down: string[]): string {
  const lines = (qs: string[]) => qs.map((q) => `    await queryRunner.query(\`${escape(q)}\`);`).join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

/** Rewrites `<dir>/index.ts` so that it lists every migration file of the folder, oldest first. */
export function writeMigrationIndex(root: string, target: SchemaTarget): void {
  const dir = join(root, MIGRATION_DIRS[target]);
  const files = readdirSync(dir)
    .filter((f) => /^\d{13}-[A-Za-z0-9]+\.ts$/.test(f))
    .sort();
  const entries = files.map((f) => {
    const [ts, name] = f.replace(/\.ts$/, '').split('-');
    return { module: `./${f.replace(/\.ts$/, '.js')}`, className: `${name}${ts}` };
  });
  const text = [
    '// Written by `migration:generate`; lists every migration of this folder, oldest first.',
    "import { MigrationInterface } from 'typeorm';",
    ...entries.map((e) => `import { ${e.className} } from '${e.module}';`),
    '',
    `export const ${EXPORT_NAMES[target]}: (new () => MigrationInterface)[] = [${entries.map((e) => e.className).join(', ')}];`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'index.ts'), text);
}

/**
 * Diffs the entities of `target` against a scratch database migrated to the latest migration, and writes
 * the difference as a new timestamped migration. The scratch database is dropped afterwards.
 */
export interface GenerateOptions {
  /** The target's entities (src/schemas.ts), plus any test-only ones. */
  entities: DataSourceOptions['entities'];
  /** The migration set the scratch database is brought to. */
  migrations: (new () => MigrationInterface)[];
}

export async function generateMigration(
  serverUrl: string,
  target: SchemaTarget,
  name: string,
  root = process.cwd(),
  options: GenerateOptions,
): Promise<GeneratedMigration | null> {
  if (!/^[A-Z][A-Za-z0-9]{0,80}$/.test(name))
    throw new Error('migration name must be PascalCase letters and digits');
  const scratch = `tenantry_scratch_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(serverUrl, scratch);
  await ensureDatabase(url);
  const ds = new DataSource(
    buildDataSourceOptions({ ...options, url, poolMax: 2, applicationName: 'tenantry-generate' }),
  );
  try {
    await ds.initialize();
    await runMigrationsLocked(ds);
    const sql = await introspect(ds);
    if (sql.upQueries.length === 0) return null;
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const up = sql.upQueries.map((q) => q.query);
    const down = sql.downQueries.map((q) => q.query).reverse();
    const file = join(root, MIGRATION_DIRS[target], `${timestamp}-${name}.ts`);
    writeFileSync(file, render(className, up, down));
    writeMigrationIndex(root, target);
    return { file, className, up, down };
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await dropDatabase(serverUrl, scratch);
  }
}

/**
 * TypeORM's schema diff. Its introspection runs several queries at once on one client for tables with
 * array columns (`getUserDefinedTypeName` in a `Promise.all`); pg queues them correctly but prints a
 * deprecation warning for it. The queueing is TypeORM's, in a development command: the warning is kept out
 * of this command's output only.
 */
async function introspect(ds: DataSource) {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    return await ds.driver.createSchemaBuilder().log();
  } finally {
    process.noDeprecation = quiet;
  }
}
