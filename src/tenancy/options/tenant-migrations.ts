import { pathToFileURL } from 'node:url';
import { EntitySchema, MigrationInterface } from 'typeorm';
import type { TenancySettings } from './tenancy.options.js';

export type MigrationClass = new () => MigrationInterface;

/** The tenant migration set in force: the application's (`forRoot`), plus test-only extras (NODE_ENV=test). */
export const TENANT_MIGRATION_SET = Symbol('TENANT_MIGRATION_SET');

async function exportsOf<T>(paths: string[], keep: (value: unknown) => value is T): Promise<T[]> {
  const found: T[] = [];
  for (const path of paths) {
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    found.push(...Object.values(module).filter(keep));
  }
  return found;
}

export async function loadTenantMigrations(
  settings: TenancySettings,
  base: MigrationClass[],
): Promise<MigrationClass[]> {
  const extra = await exportsOf(
    settings.faults?.extraTenantMigrations ?? [],
    (v): v is MigrationClass => typeof v === 'function' && typeof v.prototype?.up === 'function',
  );
  // A module namespace lists its exports by name: put them in timestamp order (the last 13 digits), as TypeORM does.
  const stamp = (m: MigrationClass) => Number(migrationName(m).slice(-13));
  return [...base, ...extra.sort((a, b) => stamp(a) - stamp(b))];
}

export async function loadExtraTenantEntities(paths: string[]): Promise<EntitySchema[]> {
  // Duck-typed: a test module's EntitySchema may come from another copy of typeorm.
  return exportsOf(
    paths,
    (v): v is EntitySchema =>
      typeof (v as EntitySchema)?.options?.name === 'string' && 'columns' in (v as EntitySchema).options,
  );
}

/**
 * The oldest schema version this build serves: its last migration not marked `static readonly
 * backwardCompatible = true` (one this build's code does not rely on, and the previous build's code survives:
 * docs/reference/migrations.md, "expand, then contract"). Null when every migration is so marked.
 */
export function servingFloor(migrations: MigrationClass[]): string | null {
  const needed = migrations.filter(
    (m) => (m as unknown as { backwardCompatible?: boolean }).backwardCompatible !== true,
  );
  const last = needed[needed.length - 1];
  return last ? migrationName(last) : null;
}

/** The name a migration is recorded under (TypeORM uses the `name` property, else the class name). */
export function migrationName(migration: MigrationClass): string {
  return new migration().name ?? migration.name;
}
