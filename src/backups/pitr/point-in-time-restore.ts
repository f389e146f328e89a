import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { grantTraverse } from '../../database/embedded-postgres.js';
import { withDatabase } from '../../database/postgres-identifiers.js';
import {
  DatabaseServers,
  type OnboardingOwner,
  type Organization,
  TenantCopier,
} from '../../tenancy/index.js';
import { PointInTimeArchive } from './point-in-time-archive.js';
import { baseBackupBefore, listBaseBackups, scratchRoot } from './pitr-layout.js';
import { chownTree, copyDataDirectory, postgresBinDir, postgresRunAs } from './postgres-files.js';
import { recoverScratchInstance, scratchName, sweepScratch } from './scratch-instance.js';

export interface PointInTimeReport {
  organization: Organization;
  /** The target asked for. */
  at: string;
  /** The commit time of the last transaction replayed (the newest change the copy holds), if any. */
  recoveryPoint: string | null;
  baseBackup: string;
  recoveryMs: number;
  copyMs: number;
  totalMs: number;
}

/** How long a recovery may replay WAL before it is given up (a day of WAL replays in minutes). */
const RECOVERY_TIMEOUT_MS = 30 * 60_000;

/**
 * `tenants:restore --tenant <slug> --at <time> --slug <new>` (docs/reference/scale-out.md, "Point in time"):
 * the tenant's server's newest base backup before the time is copied into a scratch directory, recovered by a
 * Postgres of the server's major replaying the archived WAL up to the time, and the tenant's database is copied
 * out of it into a new organization of the same owner (TenantCopier: its own roles and keys, as a clone); the
 * scratch instance and directory are removed whatever happens.
 */
@Injectable()
export class PointInTimeRestore {
  private readonly logger = new Logger(PointInTimeRestore.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly core: DataSource,
    private readonly archive: PointInTimeArchive,
    private readonly servers: DatabaseServers,
    private readonly copier: TenantCopier,
  ) {}

  /** Refuses a time this server's archive cannot reach, before anything is made. */
  private check(tenant: Organization, at: Date): void {
    if (Number.isNaN(at.getTime()))
      throw new Error('--at must be an ISO 8601 time, e.g. 2026-12-07T10:15:00Z');
    if (at.getTime() > Date.now()) throw new Error(`--at ${at.toISOString()} is in the future`);
    const bases = listBaseBackups(this.archive.layout(tenant.server));
    if (bases.length === 0)
      throw new Error(
        `no base backup of server ${tenant.server} yet: point in time starts with one (PITR_ENABLED; servers:base-backup)`,
      );
    if (tenant.placedAt && at.getTime() < tenant.placedAt.getTime())
      throw new Error(
        `${tenant.slug} moved onto server ${tenant.server} at ${tenant.placedAt.toISOString()}: its archive reaches back only to then`,
      );
    if (!baseBackupBefore(this.archive.layout(tenant.server), at))
      throw new Error(`the earliest point in time of server ${tenant.server} is ${bases[0]!.finishedAt}`);
  }

  async restore(
    tenant: Organization,
    at: Date,
    slug: string,
    owner: OnboardingOwner,
  ): Promise<PointInTimeReport> {
    this.check(tenant, at);
    const taken = await this.core.query('SELECT 1 FROM organizations WHERE slug = $1', [slug]);
    if (taken.length > 0) throw new Error(`--slug ${slug} is taken`);
    const started = Date.now();
    const layout = this.archive.layout(tenant.server);
    const base = baseBackupBefore(layout, at)!;
    await this.archive.flush(tenant.server);
    const root = scratchRoot(this.config.dataDir);
    for (const dir of await sweepScratch(root))
      this.logger.warn({ dir }, 'removed a scratch instance left behind');
    const scratch = join(root, scratchName(randomUUID()));
    mkdirSync(root, { recursive: true, mode: 0o711 });
    grantTraverse(root);
    let stop: (() => Promise<void>) | undefined;
    try {
      const runAs = postgresRunAs();
      await copyDataDirectory(join(base.dir, 'data'), scratch, false);
      chownTree(scratch, runAs);
      const { adminUrl } = await this.servers.resolve(tenant.server);
      const admin = new URL(adminUrl);
      const binDir = await postgresBinDir(Math.floor(base.serverVersionNum / 10000));
      grantTraverse(binDir);
      const instance = await recoverScratchInstance({
        dataDir: scratch,
        binDir,
        walDir: layout.wal,
        at,
        runAs,
        authMethod: admin.password ? 'scram-sha-256' : 'trust',
        timeoutMs: RECOVERY_TIMEOUT_MS,
      });
      stop = instance.stop;
      const recovered = new URL(adminUrl);
      recovered.hostname = '127.0.0.1';
      recovered.port = String(instance.port);
      recovered.search = '';
      const recoveryMs = Date.now() - started;
      const recoveryPoint = await this.recoveryPoint(recovered.toString(), tenant);
      const copyStarted = Date.now();
      const organization = await this.copier.copyFromDatabase(
        withDatabase(recovered.toString(), tenant.dbName),
        tenant,
        slug,
        owner,
      );
      const report: PointInTimeReport = {
        organization,
        at: at.toISOString(),
        recoveryPoint,
        baseBackup: base.finishedAt,
        recoveryMs,
        copyMs: Date.now() - copyStarted,
        totalMs: Date.now() - started,
      };
      this.logger.log(
        { tenant: tenant.slug, ...report, organization: organization.slug },
        'restored to a point in time',
      );
      return report;
    } finally {
      await stop?.().catch((err: Error) =>
        this.logger.error({ err: err.message }, 'scratch instance stop failed'),
      );
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** The last replayed commit's time; refuses when the tenant's database did not exist at that time. */
  private async recoveryPoint(url: string, tenant: Organization): Promise<string | null> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [tenant.dbName]);
      if (exists.rowCount === 0)
        throw new Error(`${tenant.slug} had no database on server ${tenant.server} at that time`);
      const { rows } = await client.query<{ t: Date | null }>('SELECT pg_last_xact_replay_timestamp() AS t');
      return rows[0]?.t?.toISOString() ?? null;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
