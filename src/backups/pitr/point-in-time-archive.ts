import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { LockClass, withAdvisoryLock } from '../../database/advisory-lock.js';
import { ScramCachingClient } from '../../database/scram-client.js';
import { CORE_DATABASE_URL, DatabaseServers } from '../../tenancy/index.js';
import {
  archiveCommand,
  type BaseBackup,
  listBaseBackups,
  pitrLayout,
  scratchRoot,
  WAL_SEGMENT,
} from './pitr-layout.js';
import { sweepScratch } from './scratch-instance.js';
import { copyDataDirectory, ownedDirectory } from './postgres-files.js';

export interface BaseBackupOutcome {
  server: string;
  bytes?: number;
  /** Base backups and WAL files pruned after it. */
  removed?: number;
  error?: string;
}

/** A server's superuser session for the duration of `fn`. */
async function onServer<T>(url: string, fn: (client: ScramCachingClient) => Promise<T>): Promise<T> {
  const client = new ScramCachingClient({ connectionString: url, application_name: 'tenantry-pitr' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const setting = async (client: ScramCachingClient, name: string): Promise<string> =>
  (await client.query<{ v: string }>('SELECT current_setting($1) AS v', [name])).rows[0]!.v;

/**
 * The point-in-time half of backups (docs/reference/scale-out.md, "Point in time"), with PITR_ENABLED: every
 * database server archives its WAL into `DATA_DIR/pitr/<server>/wal` (the embedded server is started so;
 * another server with `archive_mode=on` and no archive_command of its own is given ours) and gets a base
 * backup — at start when it has none, then with each scheduled backup run. Base backups and the WAL older than
 * the oldest kept one are removed after BACKUP_RETENTION_DAYS (the newest is always kept). The server must run
 * on this machine: a base backup copies its data directory between pg_backup_start and pg_backup_stop.
 */
@Injectable()
export class PointInTimeArchive implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PointInTimeArchive.name);

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    private readonly servers: DatabaseServers,
  ) {}

  get enabled(): boolean {
    return this.config.jobs.pitrEnabled;
  }

  layout(server: string) {
    return pitrLayout(this.config.dataDir, server);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled || !this.config.runWorkers || this.config.nodeEnv === 'test') return;
    void this.baseBackupsWhereMissing().catch((err: Error) =>
      this.logger.error({ err: err.message }, 'point in time: a first base backup failed'),
    );
  }

  async serverNames(): Promise<string[]> {
    const rows: { name: string }[] = await this.core.query('SELECT name FROM database_servers ORDER BY name');
    return rows.map((r) => r.name);
  }

  private async baseBackupsWhereMissing(): Promise<void> {
    for (const server of await this.serverNames())
      if (listBaseBackups(this.layout(server)).length === 0)
        await this.takeBaseBackup(server).catch((err: Error) =>
          this.logger.error({ server, err: err.message }, 'point in time: no base backup of this server'),
        );
    // A restore killed midway leaves its scratch instance running: removed here, and every 10 minutes.
    const sweep = () =>
      void sweepScratch(scratchRoot(this.config.dataDir))
        .then((dirs) =>
          dirs.forEach((dir) => this.logger.warn({ dir }, 'removed a scratch instance left behind')),
        )
        .catch(() => undefined);
    sweep();
    this.sweeper = setInterval(sweep, 600_000);
    this.sweeper.unref();
  }

  private sweeper?: NodeJS.Timeout;

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /**
   * Makes sure `server` archives its WAL into our archive; throws why it cannot (archiving off, or going
   * elsewhere: we would not know where to find it).
   */
  async ensureArchiving(server: string): Promise<void> {
    const { adminUrl } = await this.servers.resolve(server);
    const wal = this.layout(server).wal;
    await onServer(adminUrl, async (client) => {
      if ((await setting(client, 'archive_mode')) === 'off')
        throw new Error(
          `server ${server} does not archive its WAL: set archive_mode=on (a restart) for point-in-time restores`,
        );
      const ours = archiveCommand(wal);
      const current = await setting(client, 'archive_command');
      if (current === ours) return;
      if (current !== '' && current !== '(disabled)')
        throw new Error(`server ${server} archives its WAL with its own archive_command (${current})`);
      const dataDir = await setting(client, 'data_directory');
      const { uid, gid } = statSync(dataDir);
      ownedDirectory(wal, { uid, gid });
      await client.query(`ALTER SYSTEM SET archive_command = '${ours.replace(/'/g, "''")}'`);
      await client.query(`ALTER SYSTEM SET archive_timeout = '60s'`);
      await client.query('SELECT pg_reload_conf()');
      this.logger.log({ server, wal }, 'point in time: the server now archives its WAL here');
    });
  }

  /** Forces the current WAL segment out and waits (up to `ms`) until it is archived: a restore to now sees it. */
  async flush(server: string, ms = 60_000): Promise<void> {
    const { adminUrl } = await this.servers.resolve(server);
    await onServer(adminUrl, async (client) => {
      const { rows } = await client.query<{ wal: string }>(
        `SELECT pg_walfile_name(pg_switch_wal() - 1) AS wal`,
      );
      const wanted = rows[0]!.wal;
      for (const until = Date.now() + ms; ;) {
        const done = await client.query<{ last: string | null }>(
          'SELECT last_archived_wal AS last FROM pg_stat_archiver',
        );
        const last = done.rows[0]?.last ?? '';
        if (WAL_SEGMENT.test(last.slice(0, 24)) && last.slice(0, 24) >= wanted) return;
        if (Date.now() > until)
          throw new Error(`server ${server} has not archived WAL segment ${wanted} after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    });
  }

  /** Takes a base backup of `server` now (one at a time per server); resolves what it recorded. */
  async takeBaseBackup(server: string): Promise<BaseBackup> {
    await this.ensureArchiving(server);
    const taken = await withAdvisoryLock(
      this.coreUrl,
      { lockClass: LockClass.baseBackups, id: server },
      () => this.copyCluster(server),
      { applicationName: 'tenantry-base-backup' },
    );
    return taken!;
  }

  private async copyCluster(server: string): Promise<BaseBackup> {
    const { adminUrl } = await this.servers.resolve(server);
    const layout = this.layout(server);
    const startedAt = new Date();
    const dir = join(layout.base, startedAt.toISOString().replace(/[:.]/g, '-'));
    mkdirSync(layout.base, { recursive: true, mode: 0o700 });
    try {
      return await onServer(adminUrl, async (client) => {
        const version = Number(await setting(client, 'server_version_num'));
        if (version < 150000) throw new Error(`server ${server} is older than Postgres 15 (pg_backup_start)`);
        const dataDir = await setting(client, 'data_directory');
        if (!existsSync(join(dataDir, 'PG_VERSION')))
          throw new Error(`server ${server}'s data directory (${dataDir}) is not on this machine`);
        if (readdirSync(join(dataDir, 'pg_tblspc')).length > 0)
          throw new Error(`server ${server} has tablespaces, which base backups here do not copy`);
        const start = await client.query<{ wal: string }>(
          `SELECT pg_walfile_name(pg_backup_start('tenantry', true)) AS wal`,
        );
        const bytes = await copyDataDirectory(dataDir, join(dir, 'data'));
        const stop = await client.query<{ labelfile: string; spcmapfile: string | null }>(
          'SELECT labelfile, spcmapfile FROM pg_backup_stop(true)',
        );
        writeFileSync(join(dir, 'data', 'backup_label'), stop.rows[0]!.labelfile);
        const base: BaseBackup = {
          server,
          dir,
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          startWal: start.rows[0]!.wal,
          serverVersionNum: version,
          bytes,
        };
        writeFileSync(join(dir, 'base.json'), JSON.stringify(base, null, 2));
        this.logger.log({ server, dir, bytes, ms: Date.now() - startedAt.getTime() }, 'base backup taken');
        return base;
      });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Removes base backups older than the retention (never the newest) and the archived WAL no kept base backup
   * needs; resolves how many files went.
   */
  prune(server: string, now = new Date()): number {
    const layout = this.layout(server);
    const bases = listBaseBackups(layout);
    const before = now.getTime() - this.config.jobs.backupRetentionDays * 86_400_000;
    let removed = 0;
    for (const base of bases.slice(0, -1)) {
      if (new Date(base.finishedAt).getTime() >= before) continue;
      rmSync(base.dir, { recursive: true, force: true });
      removed++;
    }
    const oldest = listBaseBackups(layout)[0];
    if (!oldest || !existsSync(layout.wal)) return removed;
    for (const name of readdirSync(layout.wal)) {
      // Segment names sort by timeline, then position; history files are kept.
      if (WAL_SEGMENT.test(name.slice(0, 24)) && name.slice(0, 24) < oldest.startWal) {
        rmSync(join(layout.wal, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Base backup for every server where point in time is on (the scheduled backup's cluster part). */
  async baseBackupAll(): Promise<BaseBackupOutcome[]> {
    const out: BaseBackupOutcome[] = [];
    for (const server of await this.serverNames()) {
      try {
        const base = await this.takeBaseBackup(server);
        out.push({ server, bytes: base.bytes, removed: this.prune(server) });
      } catch (err) {
        this.logger.error({ server, err: (err as Error).message }, 'base backup failed');
        out.push({ server, error: (err as Error).message });
      }
    }
    return out;
  }
}
