import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { QueryRunner } from 'typeorm';
import { LockClass } from '../../database/advisory-lock.js';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';
import { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';
import { TENANCY_OPTIONS, type TenancyOptions } from '../options/tenancy.options.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { tenantIdentity } from '../catalog/tenant-identity.js';
import {
  grantRuntimePrivileges,
  restrictRuntimePrivileges,
  separateTenantRoles,
} from '../databases/tenant-roles.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { type MigrationClass, migrationName, TENANT_MIGRATION_SET } from '../options/tenant-migrations.js';

export interface TenantMigrationResult {
  from: string | null;
  to: string | null;
  applied: string[];
}

const EXECUTED = 'SELECT name FROM migrations ORDER BY "timestamp", id';

/** TypeORM records a migration's timestamp as the last 13 digits of its name. */
const timestampOf = (name: string): number => Number(name.slice(-13));

/**
 * Migrates one tenant database as the tenant's owner role (`SET ROLE` on an admin session inside the
 * tenant's database: the login role the service runs as cannot change the schema), under the per-database
 * migration advisory lock, and records the resulting schema version in the catalog. A tenant built before
 * the role split is converted first; the login role's grants are rewritten whenever something changed.
 *
 * It works through a TypeORM query runner bound to that one connection, and applies each migration in a transaction with its `migrations` row — what TypeORM's executor
 * does, without building a DataSource per tenant and without its schema introspection: the `migrations`
 * table exists in every tenant (it comes with the template). That made a fleet run 5.7× slower than a
 * plain script running the same DDL (docs/designs/performance.md).
 */
@Injectable()
export class TenantMigrator {
  constructor(
    private readonly catalog: TenantCatalog,
    private readonly connections: TenantConnectionRegistry,
    private readonly builder: TenantDatabaseBuilder,
    @Inject(TENANT_MIGRATION_SET) private readonly migrations: MigrationClass[],
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
  ) {}

  /** The version the current migration set leads to. */
  get latest(): string | null {
    const last = this.migrations[this.migrations.length - 1];
    return last ? migrationName(last) : null;
  }

  get migrationSet(): MigrationClass[] {
    return this.migrations;
  }

  /**
   * `recorded: false`: the caller records the resulting version in the catalog itself (a fleet run, in
   * batches: FleetMigrator), else it is recorded here, under the migration lock, when it changed.
   */
  async migrate(tenant: TenantLocation, recorded = true): Promise<TenantMigrationResult> {
    return this.builder.inside(tenant, (inside) => this.migrateOn(inside, tenant, recorded));
  }

  /** `migrate` on an admin session the caller already holds inside the tenant's database (onboarding). */
  async migrateOn(
    inside: pg.Client,
    tenant: { id: string },
    recorded = true,
    /** Stop after this migration (a copy is built to its source's version first). */
    upTo?: string,
  ): Promise<TenantMigrationResult> {
    return this.locked(inside, tenant, recorded, async (runner, executed) => {
      const applied: string[] = [];
      const names = this.migrations.map(migrationName);
      const last = upTo === undefined ? Infinity : names.indexOf(upTo);
      for (const migration of this.pendingOf(executed).filter(
        (m) => names.indexOf(migrationName(m)) <= last,
      )) {
        const name = migrationName(migration);
        await this.inTransaction(runner, async () => {
          await new migration().up(runner);
          await runner.query('INSERT INTO migrations ("timestamp", name) VALUES ($1, $2)', [
            timestampOf(name),
            name,
          ]);
          await this.restrict(runner, tenant.id);
        });
        applied.push(name);
      }
      return applied;
    });
  }

  /**
   * Why a schema built by `applied` cannot be rebuilt by this build, or null when it can: its migrations must
   * be the first ones of this build's set, in order (a copy of a newer schema needs a newer build).
   */
  unknownSchema(applied: string[]): string | null {
    const names = this.migrations.map(migrationName);
    const at = applied.findIndex((name, i) => names[i] !== name);
    if (at < 0) return null;
    return `its schema has migration ${applied[at]}, which this build does not have at that place (its last: ${names.at(-1) ?? 'none'})`;
  }

  /** The names of the migrations that `migrate` would apply, without applying them. */
  async pending(tenant: TenantLocation): Promise<string[]> {
    return this.connections.withConnection(tenant, async (manager) =>
      this.pendingOf(await this.executed(manager.queryRunner!)).map(migrationName),
    );
  }

  async revertLast(tenant: TenantLocation): Promise<TenantMigrationResult> {
    return this.builder.inside(tenant, (inside) => this.revertOn(inside, tenant));
  }

  private revertOn(inside: pg.Client, tenant: { id: string }): Promise<TenantMigrationResult> {
    return this.locked(inside, tenant, true, async (runner, executed) => {
      const last = executed[executed.length - 1];
      const migration = this.migrations.find((m) => migrationName(m) === last);
      if (!last) return [];
      if (!migration) throw new Error(`migration ${last} is not in this build's migration set`);
      await this.inTransaction(runner, async () => {
        await new migration().down(runner);
        await runner.query('DELETE FROM migrations WHERE name = $1', [last]);
        await this.restrict(runner, tenant.id);
      });
      return 'reverted';
    });
  }

  /** The append-only and read-only tables' restrictions (tenant-roles.ts), in the caller's transaction. */
  private restrict(runner: QueryRunner, tenantId: string): Promise<void> {
    return restrictRuntimePrivileges(runner, tenantIdentity(tenantId), this.options.appendOnlyTables);
  }

  private pendingOf(executed: string[]): MigrationClass[] {
    const done = new Set(executed);
    return this.migrations.filter((m) => !done.has(migrationName(m)));
  }

  /** Executed migration names, oldest first. */
  private async executed(runner: QueryRunner): Promise<string[]> {
    const rows: { name: string }[] = await runner.query(EXECUTED);
    return rows.map((r) => r.name);
  }

  private async locked(
    inside: pg.Client,
    tenant: { id: string },
    recorded: boolean,
    fn: (runner: QueryRunner, executed: string[]) => Promise<string[] | 'reverted'>,
  ): Promise<TenantMigrationResult> {
    const id = tenantIdentity(tenant.id);
    const converted = await separateTenantRoles(inside, id);
    // One round trip each way (a fleet run pays them per tenant, docs/designs/performance.md): become the owner
    // role, take the database's migration lock (the key migration-lock.ts uses too) and read what ran.
    const lock = `${LockClass.migrations}, hashtext('')`;
    const opened = (await inside.query(
      `SET ROLE ${quoteIdentifier(id.ownerRole)}; SELECT pg_advisory_lock(${lock}); ${EXECUTED}`,
    )) as unknown as pg.QueryResult<{ name: string }>[];
    const executed = opened[2].rows.map((r) => r.name);
    let result: TenantMigrationResult;
    try {
      result = await this.connections.withManagerOn(inside, async (manager) => {
        const outcome = await fn(manager.queryRunner!, executed);
        const after = outcome === 'reverted' ? executed.slice(0, -1) : [...executed, ...outcome];
        const from = executed[executed.length - 1] ?? null;
        const to = after[after.length - 1] ?? null;
        // The catalog row and every instance's cache follow (one statement: update and notify).
        if (recorded && (to !== from || outcome === 'reverted'))
          await this.catalog.recordSchemaVersion(tenant.id, to);
        return { from, to, applied: outcome === 'reverted' ? [] : outcome };
      });
    } finally {
      await inside.query(`SELECT pg_advisory_unlock(${lock}); RESET ROLE`);
    }
    // A tenant converted just now gets the full runtime grants. Otherwise what a migration can undo (the
    // restrictions: new tables get their DML from the default privileges) was written again inside each
    // migration's own transaction, as the owner role: no commit of its own.
    if (converted) await grantRuntimePrivileges(inside, id, this.options.appendOnlyTables);
    return result;
  }

  private async inTransaction(runner: QueryRunner, fn: () => Promise<void>): Promise<void> {
    await runner.startTransaction();
    try {
      await fn();
      await runner.commitTransaction();
    } catch (err) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  }
}
