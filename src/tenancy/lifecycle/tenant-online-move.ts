import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';
import { Organization } from '../catalog/organization.entity.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { tenantIdentity } from '../catalog/tenant-identity.js';
import { TenantConnectionRegistry } from '../connections/tenant-connection.registry.js';
import { TenantDataCopier } from '../copies/data-copier.js';
import { readSnapshot } from '../copies/table-data.js';
import { closeTenantDatabase } from '../databases/tenant-database.admin.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { grantRuntimePrivileges } from '../databases/tenant-roles.js';
import {
  TENANCY_OPTIONS,
  type TenancyOptions,
  TENANCY_SETTINGS,
  type TenancySettings,
} from '../options/tenancy.options.js';
import { type ChecksumPart, compareFingerprints, fingerprint } from '../servers/copy-verification.js';
import {
  catchUp,
  copySequences,
  publish,
  publishingProblem,
  settledBefore,
  subscribe,
  unsubscribe,
  waitForInitialCopy,
} from './logical-replication.js';
import { injectFault } from './provisioning-support.js';

export interface OnlineMoveResult {
  bytes: number;
  tables: number;
  rows: number;
  frozenMs: number;
  /** How long the copy took while the tenant kept serving. */
  copyMs: number;
}

/** An online move that cannot start (nothing changed): the CLI says why and that the plain move remains. */
export class OnlineMoveRefused extends Error {}

/** The final catch-up under the freeze gives up after this (the move is then undone). */
const FROZEN_CATCH_UP_MS = 10_000;

/**
 * `tenants:move --online` (docs/reference/scale-out.md, "Online moves"), run by TenantMover under the tenant's
 * lock: the copy's schema is built at the source's version, its rows come by logical replication (a
 * publication at the source, a subscription in the copy) while the tenant goes on serving reads and writes
 * from the source; once the initial copy is done and the copy has caught up, the tenant is frozen (`moving`:
 * 503 + Retry-After everywhere, its sessions ended), the copy catches up with the last commits, sequences are
 * set, the copy is verified as a plain move's (rows, audit checksum), the replication is dropped and the
 * catalog switched. `moving_to` names the target from the start, so whatever a failure or a killed process
 * leaves is found and removed (TenantMover.undo, by the caller, the sweep or a rerun).
 */
@Injectable()
export class TenantOnlineMove {
  private readonly logger = new Logger(TenantOnlineMove.name);

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly builder: TenantDatabaseBuilder,
    private readonly data: TenantDataCopier,
    private readonly catalog: TenantCatalog,
    private readonly connections: TenantConnectionRegistry,
  ) {}

  /** Refuses a source that cannot publish the tenant (wal_level, tables without a primary key). */
  async check(org: Organization): Promise<void> {
    const problem = await this.builder.inside({ id: org.id, server: org.server }, publishingProblem);
    if (problem)
      throw new OnlineMoveRefused(
        `an online move needs logical replication from server ${org.server}: ${problem} (the plain move, without --online, works)`,
      );
  }

  async run(org: Organization, to: string, progress: (line: string) => void): Promise<OnlineMoveResult> {
    const { id, slug } = org;
    const source = { id, server: org.server };
    const copy = { id, server: to };
    const repo = this.core.getRepository(Organization);
    const started = await repo.update({ id, status: 'active' }, { movingTo: to });
    if (started.affected !== 1) throw new Error(`${slug} is no longer active`);
    const bytes = await this.builder.onServer(org.server, async (admin) => {
      const { rows } = await admin.query<{ n: string }>('SELECT pg_database_size($1) AS n', [org.dbName]);
      return Number(rows[0].n);
    });
    await this.builder.build(copy, 'template0');
    const snapshot = await this.builder.inside(source, async (inside) => {
      const read = await readSnapshot(inside);
      await publish(inside, id, read);
      return read;
    });
    const sourceUrl = await this.builder.adminUrl(source);
    await this.builder.inside(copy, async (inside) => {
      await this.data.buildSchema(inside, copy, snapshot.migrations);
      // What the migrations seeded gives way to the source's rows, which the subscription copies.
      if (snapshot.tables.length > 0)
        await inside.query(
          `TRUNCATE ${snapshot.tables.map((t) => `public.${quoteIdentifier(t.name)}`).join(', ')}`,
        );
      await grantRuntimePrivileges(inside, tenantIdentity(id), this.options.appendOnlyTables);
      await subscribe(inside, id, sourceUrl);
    });
    progress(
      `${slug}: copying ${(bytes / 1e6).toFixed(1)} MB to ${to} by logical replication; it keeps serving`,
    );
    const copyStarted = Date.now();
    return this.builder.inside(source, (src) =>
      this.builder.inside(copy, async (cp) => {
        await waitForInitialCopy(cp, id, (pending) => progress(`${slug}: ${pending} tables still copying`));
        // The audit log's rows up to a settled time are compared now, while it serves; the freeze then checks
        // only the rows from that time on (and every table's count).
        const settled = await settledBefore(src);
        const lag = await catchUp(src, cp, 120_000);
        await this.compareChecksums(src, cp, { before: settled });
        const copyMs = Date.now() - copyStarted;
        progress(
          `${slug}: copied in ${(copyMs / 1000).toFixed(1)} s, caught up (${lag} ms); freezing for the switch`,
        );
        injectFault(this.settings, 'move-online-synced');
        return this.switchOver(org, to, src, cp, snapshot, { bytes, copyMs, settled }, progress);
      }),
    );
  }

  /** The frozen part: the last commits, sequences, verification, the switch. */
  private async switchOver(
    org: Organization,
    to: string,
    src: pg.Client,
    cp: pg.Client,
    snapshot: Awaited<ReturnType<typeof readSnapshot>>,
    measured: { bytes: number; copyMs: number; settled: Date },
    progress: (line: string) => void,
  ): Promise<OnlineMoveResult> {
    const { id, slug } = org;
    const repo = this.core.getRepository(Organization);
    // Only from `active` as it was: a suspension or a deletion meanwhile wins, and the move is undone.
    const frozen = await repo.update({ id, status: 'active' }, { status: 'moving', movingTo: to });
    if (frozen.affected !== 1) throw new Error(`${slug} changed status during the move; undone`);
    this.catalog.changed(slug);
    this.connections.evict(id);
    const frozenAt = Date.now();
    await this.builder.onServer(org.server, (admin) => closeTenantDatabase(admin, tenantIdentity(id)));
    const closedMs = Date.now() - frozenAt;
    const lastMs = await catchUp(src, cp, FROZEN_CATCH_UP_MS);
    await copySequences(src, cp, snapshot);
    const verifying = Date.now();
    const appendOnly = this.options.appendOnlyTables;
    const from = { from: measured.settled };
    const [before, after] = await Promise.all([
      fingerprint(src, appendOnly, from),
      fingerprint(cp, appendOnly, from),
    ]);
    const verifyMs = Date.now() - verifying;
    const problems = compareFingerprints(before, after);
    if (problems.length > 0) throw new Error(`the copy differs from the source: ${problems.join('; ')}`);
    await unsubscribe(cp, id);
    const switched = await repo.update(
      { id, status: 'moving' },
      { server: to, status: 'active', movingTo: null, placedAt: new Date() },
    );
    if (switched.affected !== 1) throw new Error(`${slug} changed status during the move; undone`);
    this.catalog.changed(slug);
    const frozenMs = Date.now() - frozenAt;
    this.connections.evict(id);
    const rows = Object.values(after.rows).reduce((a, b) => a + b, 0);
    progress(
      `${slug}: verified (${Object.keys(after.rows).length} tables, ${rows} rows); switched in ${frozenMs} ms ` +
        `(sessions ended ${closedMs} ms, last commits ${lastMs} ms, verification ${verifyMs} ms)`,
    );
    this.logger.log(
      { tenantId: id, slug, to, frozenMs, copyMs: measured.copyMs },
      'organization moved online',
    );
    return {
      bytes: measured.bytes,
      copyMs: measured.copyMs,
      tables: Object.keys(after.rows).length,
      rows,
      frozenMs,
    };
  }

  /** Both sides' checksums of the append-only tables' `part`; throws on a difference. */
  private async compareChecksums(src: pg.Client, cp: pg.Client, part: ChecksumPart): Promise<void> {
    const appendOnly = this.options.appendOnlyTables;
    const [a, b] = await Promise.all([fingerprint(src, appendOnly, part), fingerprint(cp, appendOnly, part)]);
    const differ = Object.keys(a.checksums).filter((table) => a.checksums[table] !== b.checksums[table]);
    if (differ.length > 0)
      throw new Error(`the copy differs from the source: ${differ.join(', ')} checksums differ`);
  }
}
