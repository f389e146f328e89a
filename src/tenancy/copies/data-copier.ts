import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { TENANCY_OPTIONS, type TenancyOptions } from '../options/tenancy.options.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { tenantIdentity } from '../catalog/tenant-identity.js';
import { TenantMigrator } from '../migrations/tenant-migrator.service.js';
import { grantRuntimePrivileges } from '../databases/tenant-roles.js';
import { ByteRate } from './byte-rate.js';
import { ArchiveReader, ArchiveWriter, type ArchiveManifest } from './backup-archive.js';
import {
  copyOut,
  COPY_SETTINGS,
  type DataSnapshot,
  loadTables,
  readSnapshot,
  type TableSpec,
} from './table-data.js';

/** The `migrations` table as TypeORM makes it: a copy's schema is rebuilt by the same migrations. */
const MIGRATIONS_TABLE =
  'CREATE TABLE IF NOT EXISTS public.migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name character varying NOT NULL)';

/** Where a copy's rows come from: a live tenant's snapshot, or an archive being read. */
export interface RowSource {
  snapshot: DataSnapshot;
  rows(table: TableSpec): Readable | Promise<Readable>;
}

/**
 * Copies of a tenant's data with nothing but SQL (no `pg_dump`/`pg_restore`, so no client programs to
 * install or to match the server's major): the copy's schema is rebuilt by the migrations its source ran,
 * its rows move as COPY text in foreign-key order, then it is migrated to this build's latest version
 * (docs/reference/scale-out.md, "Copies without client programs"). Backups, restores, clones and moves use it.
 */
@Injectable()
export class TenantDataCopier {
  constructor(
    private readonly builder: TenantDatabaseBuilder,
    private readonly migrator: TenantMigrator,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
  ) {}

  /** Runs `fn` with the source's rows at one snapshot (a read-only repeatable-read transaction). */
  async fromLive<T>(source: TenantLocation, fn: (rows: RowSource) => Promise<T>): Promise<T> {
    return this.fromDatabase(await this.builder.adminUrl(source), source.id, fn);
  }

  /** The same from a tenant database at `url` (an admin's), e.g. one recovered to a point in time. */
  async fromDatabase<T>(url: string, tenantId: string, fn: (rows: RowSource) => Promise<T>): Promise<T> {
    return this.builder.insideUrl(url, tenantId, async (inside) => {
      await inside.query(`${COPY_SETTINGS}; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
      try {
        const snapshot = await readSnapshot(inside);
        return await fn({ snapshot, rows: (table) => copyOut(inside, table) });
      } finally {
        await inside.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  /** Writes the tenant's data to an archive at `out` (created; removed again on failure). */
  async backup(
    tenant: TenantLocation & { slug: string; name: string },
    out: string,
    /** At most this many bytes of rows a second (0: as fast as it goes). */
    bytesPerSecond = 0,
  ): Promise<ArchiveManifest> {
    const rate = new ByteRate(bytesPerSecond);
    const writer = new ArchiveWriter(out);
    try {
      return await this.fromLive(tenant, async ({ snapshot, rows }) => {
        const manifest: ArchiveManifest = {
          format: 'tenantry-tenant-backup',
          version: 1,
          createdAt: new Date().toISOString(),
          tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
          ...snapshot,
        };
        await writer.manifest(manifest);
        const counts: Record<string, number> = {};
        const checksums: Record<string, string> = {};
        for (const table of snapshot.tables) {
          const stream = await rows(table);
          checksums[table.name] = await writer.table(table, stream, rate);
          counts[table.name] = (stream as Readable & { rowCount: number }).rowCount;
        }
        await writer.end(counts, checksums);
        return manifest;
      });
    } catch (err) {
      writer.abort(err as Error);
      // Only a file this backup made: `--out` naming an existing file fails without removing it.
      if (writer.created) await unlink(out).catch(() => undefined);
      throw err;
    }
  }

  /** Opens an archive and checks that this build can rebuild its schema, before anything is made. */
  async openArchive(
    path: string,
    /** At most this many bytes of rows a second are read (0: as fast as it goes). */
    bytesPerSecond = 0,
  ): Promise<{ source: RowSource; reader: ArchiveReader; manifest: ArchiveManifest }> {
    const rate = new ByteRate(bytesPerSecond);
    const { reader, manifest } = await ArchiveReader.open(path);
    const unknown = this.migrator.unknownSchema(manifest.migrations);
    if (unknown) {
      await reader.close();
      throw new Error(`the backup cannot be restored by this build: ${unknown}`);
    }
    return { reader, manifest, source: { snapshot: manifest, rows: (table) => reader.table(table, rate) } };
  }

  /** The copy's schema, as the source's `migrations` made it (into its new, empty database, as its owner). */
  async buildSchema(inside: pg.Client, copy: TenantLocation, migrations: string[]): Promise<void> {
    const id = tenantIdentity(copy.id);
    await inside.query(`SET ROLE ${quoteIdentifier(id.ownerRole)}; ${MIGRATIONS_TABLE}; RESET ROLE`);
    await this.migrator.migrateOn(inside, copy, false, migrations.at(-1) ?? '');
  }

  /**
   * Into the tenant's new, empty database (built from `template0`): the source's schema version by the same
   * migrations, its rows, then this build's remaining migrations and the runtime grants. Resolves the rows
   * loaded per table and the resulting schema version.
   */
  async load(
    inside: pg.Client,
    copy: TenantLocation,
    source: RowSource,
    /** Runs once the rows are in, at the source's own schema version, before this build's later migrations. */
    loaded?: (rows: Record<string, number>) => Promise<void>,
  ): Promise<{ rows: Record<string, number>; version: string | null }> {
    const id = tenantIdentity(copy.id);
    await this.buildSchema(inside, copy, source.snapshot.migrations);
    const rows = await loadTables(inside, id.ownerRole, source.snapshot, source.rows);
    await loaded?.(rows);
    const { to } = await this.migrator.migrateOn(inside, copy, false);
    await grantRuntimePrivileges(inside, id, this.options.appendOnlyTables);
    return { rows, version: to };
  }
}
