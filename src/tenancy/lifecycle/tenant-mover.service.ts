import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { databaseExists } from '../../database/postgres-admin.js';
import { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';
import { Organization } from '../catalog/organization.entity.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { injectFault, withTenantLock } from './provisioning-support.js';
import {
  TENANCY_OPTIONS,
  type TenancyOptions,
  TENANCY_SETTINGS,
  type TenancySettings,
} from '../options/tenancy.options.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { TenantDataCopier } from '../copies/data-copier.js';
import { closeTenantDatabase, reopenTenantDatabase } from '../databases/tenant-database.admin.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { tenantIdentity } from '../catalog/tenant-identity.js';
import { compareFingerprints, fingerprint } from '../servers/copy-verification.js';
import { DatabaseServers } from '../servers/database-servers.service.js';
import { dropReplication } from './logical-replication.js';
import { TenantOnlineMove } from './tenant-online-move.js';

export interface MoveResult {
  from: string;
  to: string;
  bytes: number;
  tables: number;
  rows: number;
  /** How long the tenant answered 503 (frozen until serving from the target). */
  frozenMs: number;
}

/** A move that cannot start, with what to do about it (the CLI prints it; nothing changed). */
export class MoveRefused extends Error {}

/**
 * Moves one tenant's database to another server (docs/reference/scale-out.md): `moving` (every instance answers 503
 * TENANT_NOT_READY), the source closed to the tenant's roles and their sessions ended (nothing is
 * acknowledged after that), its rows copied (copies/data-copier.ts, no client programs) into a new database with its own roles on the target,
 * verified (rows per table, a checksum of the append-only tables), then the catalog row switched (every
 * instance follows through the catalog's trigger) and the source dropped. A failure undoes it and the tenant
 * serves from the source again; a process that dies midway leaves `moving`, which the sweep undoes (or a
 * rerun, which then starts over cleanly).
 */
@Injectable()
export class TenantMover {
  private readonly logger = new Logger(TenantMover.name);

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly servers: DatabaseServers,
    private readonly builder: TenantDatabaseBuilder,
    private readonly data: TenantDataCopier,
    private readonly catalog: TenantCatalog,
    private readonly connections: TenantConnectionRegistry,
    private readonly online: TenantOnlineMove,
  ) {}

  async move(
    slug: string,
    to: string,
    progress: (line: string) => void = () => undefined,
    /** By logical replication while the tenant serves (TenantOnlineMove); frozen only for the switch. */
    online = false,
  ): Promise<MoveResult> {
    const target = await this.servers.resolve(to).catch(() => {
      throw new MoveRefused(`no server named ${to} (servers:list)`);
    });
    if (target.status !== 'active') throw new MoveRefused(`server ${to} is ${target.status}`);
    const org = await this.repo().findOneBy({ slug });
    if (!org) throw new MoveRefused(`no organization ${slug}`);
    const result = await withTenantLock(
      this.coreUrl,
      org.id,
      () => this.moveLocked(org.id, to, progress, online),
      true,
    );
    if (!result)
      throw new MoveRefused(`${slug} is being moved, built or removed by another process; retry later`);
    return result;
  }

  /**
   * Undoes a move nobody is working on (its process died: the tenant's lock is free): the partial copy is
   * dropped and the tenant serves from where it was. True when there was one to undo.
   */
  async abandon(org: Organization): Promise<boolean> {
    const undone = await withTenantLock(
      this.coreUrl,
      org.id,
      async () => {
        const current = await this.repo().findOneBy({ id: org.id });
        // `moving`, or an online move's copy still being made (`moving_to` set, the tenant serving meanwhile).
        if (current?.status !== 'moving' && !current?.movingTo) return false;
        await this.undo(current);
        return true;
      },
      true,
    );
    return undone === true;
  }

  private async moveLocked(
    id: string,
    to: string,
    progress: (line: string) => void,
    online: boolean,
  ): Promise<MoveResult> {
    let org = await this.repo().findOneByOrFail({ id });
    if (org.status === 'moving' || org.movingTo) {
      progress(`an earlier move of ${org.slug} was interrupted: undoing it first`);
      await this.undo(org);
      org = await this.repo().findOneByOrFail({ id });
    }
    if (org.server === to) throw new MoveRefused(`${org.slug} is on ${to} already`);
    if (org.status !== 'active')
      throw new MoveRefused(`${org.slug} is ${org.status}; only an active tenant moves`);
    if (online) return this.moveOnline(org, to, progress);
    const from = org.server;
    const source = { id, server: from };
    const copy = { id, server: to };
    const identity = tenantIdentity(id);
    await this.repo().update({ id, status: 'active' }, { status: 'moving', movingTo: to });
    this.catalog.changed(org.slug);
    this.connections.evict(id);
    const frozenAt = Date.now();
    try {
      await this.builder.onServer(from, (admin) => closeTenantDatabase(admin, identity));
      injectFault(this.settings, 'move-frozen');
      const bytes = await this.builder.onServer(from, async (admin) => {
        const { rows } = await admin.query<{ n: string }>('SELECT pg_database_size($1) AS n', [
          identity.dbName,
        ]);
        return Number(rows[0].n);
      });
      progress(`${org.slug}: closed on ${from}; copying ${(bytes / 1e6).toFixed(1)} MB to ${to}`);
      await this.builder.drop(copy); // a leftover of an earlier attempt
      await this.builder.build(copy, 'template0');
      const started = Date.now();
      // Rebuilt by the source's migrations, its rows loaded, then migrated to this build's latest version.
      await this.builder.inside(copy, (inside) =>
        this.data.fromLive(source, (rows) => this.data.load(inside, copy, rows)),
      );
      progress(`${org.slug}: copied in ${((Date.now() - started) / 1000).toFixed(1)} s; verifying`);
      injectFault(this.settings, 'move-copied');
      const appendOnly = this.options.appendOnlyTables;
      const before = await this.builder.inside(source, (inside) => fingerprint(inside, appendOnly));
      const after = await this.builder.inside(copy, (inside) => fingerprint(inside, appendOnly));
      const problems = compareFingerprints(before, after);
      if (problems.length > 0) throw new Error(`the copy differs from the source: ${problems.join('; ')}`);
      const rows = Object.values(after.rows).reduce((a, b) => a + b, 0);
      progress(`${org.slug}: verified (${Object.keys(after.rows).length} tables, ${rows} rows); switching`);
      const switched = await this.repo().update(
        { id, status: 'moving' },
        { server: to, status: 'active', movingTo: null, placedAt: new Date() },
      );
      if (switched.affected !== 1) throw new Error(`${org.slug} changed status during the move; undone`);
      this.catalog.changed(org.slug);
      const frozenMs = Date.now() - frozenAt;
      // Serving from the target from here on: the source copy is no longer anyone's.
      this.connections.evict(id);
      await this.dropOld(org, progress);
      this.logger.log({ tenantId: id, slug: org.slug, from, to, bytes, frozenMs }, 'organization moved');
      return { from, to, bytes, tables: Object.keys(after.rows).length, rows, frozenMs };
    } catch (err) {
      this.logger.error({ tenantId: id, err: (err as Error).message }, 'move failed; undoing it');
      // If undoing fails too, the row stays `moving` and the sweep undoes it; the move's error is reported.
      await this.undo({ ...org, movingTo: to }).catch((undoErr: Error) =>
        this.logger.error({ tenantId: id, err: undoErr.message }, 'undo failed; left to the sweep'),
      );
      throw err;
    }
  }

  private async moveOnline(
    org: Organization,
    to: string,
    progress: (line: string) => void,
  ): Promise<MoveResult> {
    await this.online.check(org);
    try {
      const result = await this.online.run(org, to, progress);
      await this.dropOld(org, progress);
      return {
        from: org.server,
        to,
        bytes: result.bytes,
        tables: result.tables,
        rows: result.rows,
        frozenMs: result.frozenMs,
      };
    } catch (err) {
      this.logger.error({ tenantId: org.id, err: (err as Error).message }, 'online move failed; undoing it');
      await this.undo({ ...org, movingTo: to }).catch((undoErr: Error) =>
        this.logger.error({ tenantId: org.id, err: undoErr.message }, 'undo failed; left to the sweep'),
      );
      throw err;
    }
  }

  /** The source copy, no longer anyone's once the tenant serves from the target. */
  private async dropOld(org: Pick<Organization, 'id' | 'slug' | 'server'>, progress: (line: string) => void) {
    await this.builder.drop({ id: org.id, server: org.server }).catch((err: Error) => {
      this.logger.error({ tenantId: org.id, server: org.server, err: err.message }, 'old copy not dropped');
      progress(
        `${org.slug}: WARNING the old copy on ${org.server} could not be dropped (${err.message}); drop ${tenantIdentity(org.id).dbName} there by hand`,
      );
    });
  }

  /**
   * Back to serving from the source: an online move's replication taken down (logical-replication.ts), the
   * partial copy dropped, the source open to the tenant again.
   */
  private async undo(org: Pick<Organization, 'id' | 'slug' | 'server' | 'movingTo'>): Promise<void> {
    const identity = tenantIdentity(org.id);
    if (org.movingTo && org.movingTo !== org.server) {
      const copy = { id: org.id, server: org.movingTo };
      const [sourceThere, copyThere] = await Promise.all(
        [org.server, org.movingTo].map((server) =>
          this.builder.onServer(server, (admin) => databaseExists(admin, identity.dbName)),
        ),
      );
      // A session inside the database when it exists (the replication's objects live there), else none.
      const maybeInside = <T>(at: TenantLocation, there: boolean, fn: (c?: pg.Client) => Promise<T>) =>
        there ? this.builder.inside(at, fn) : fn(undefined);
      await this.builder.onServer(org.server, (sourceServer) =>
        maybeInside(copy, copyThere, (targetDb) =>
          maybeInside(org, sourceThere, (sourceDb) =>
            dropReplication(org.id, identity.dbName, { sourceServer, sourceDb, targetDb }),
          ),
        ),
      );
      await this.builder.drop(copy);
    }
    await this.builder.onServer(org.server, async (admin) => {
      if (await databaseExists(admin, identity.dbName)) await reopenTenantDatabase(admin, identity);
    });
    await this.repo().update({ id: org.id, status: 'moving' }, { status: 'active', movingTo: null });
    await this.repo().update({ id: org.id }, { movingTo: null });
    this.catalog.changed(org.slug);
  }

  private repo() {
    return this.core.getRepository(Organization);
  }
}
