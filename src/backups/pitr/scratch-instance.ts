import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../common/net/free-port.js';
import { restoreCommand } from './pitr-layout.js';
import type { RunAs } from './postgres-files.js';

export interface RecoveryTarget {
  /** The copy of a base backup to recover in (given to `runAs`'s user). */
  dataDir: string;
  binDir: string;
  walDir: string;
  at: Date;
  runAs: RunAs;
  /** How the restored server's superuser signs in: its pg_hba is replaced by one loopback line. */
  authMethod: 'trust' | 'scram-sha-256';
  /** The longest the recovery may take (it replays every WAL segment from the base backup to `at`). */
  timeoutMs: number;
}

export interface ScratchInstance {
  port: number;
  stop(): Promise<void>;
}

/**
 * A Postgres instance of its own, on a copy of a base backup, that replays the archived WAL up to `at` and
 * then opens (`recovery_target_action=promote`). It listens on a free loopback port only; connections are
 * refused until recovery is over (hot_standby=off), so the first one sees the data as of `at`. Recovery that
 * cannot reach `at` (missing WAL) ends the process, and its last log lines are the error.
 */
export async function recoverScratchInstance(target: RecoveryTarget): Promise<ScratchInstance> {
  const port = await freePort();
  writeFileSync(join(target.dataDir, 'recovery.signal'), '');
  writeFileSync(join(target.dataDir, 'pg_hba.conf'), `host all all 127.0.0.1/32 ${target.authMethod}\n`);
  if (!existsSync(join(target.dataDir, 'postgresql.conf')))
    writeFileSync(join(target.dataDir, 'postgresql.conf'), '');
  if (!existsSync(join(target.dataDir, 'pg_ident.conf')))
    writeFileSync(join(target.dataDir, 'pg_ident.conf'), '');
  const settings: Record<string, string> = {
    data_directory: target.dataDir,
    hba_file: join(target.dataDir, 'pg_hba.conf'),
    ident_file: join(target.dataDir, 'pg_ident.conf'),
    external_pid_file: '',
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    port: String(port),
    max_connections: '20',
    hot_standby: 'off',
    archive_mode: 'off',
    ssl: 'off',
    logging_collector: 'off',
    log_destination: 'stderr',
    cluster_name: 'tenantry-point-in-time',
    restore_command: restoreCommand(target.walDir),
    // Postgres' own timestamptz syntax: its check refuses ISO 8601's `T…Z` spelling.
    recovery_target_time: target.at.toISOString().replace('T', ' ').replace('Z', '+00'),
    recovery_target_action: 'promote',
    recovery_target_timeline: 'current',
    autovacuum: 'off',
  };
  const args = ['-D', target.dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(join(target.binDir, 'postgres'), args, {
    ...target.runAs,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the recovery did not finish within ${target.timeoutMs} ms`));
    }, target.timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      const last = lines.filter((l) => /FATAL|PANIC|ERROR/.test(l)).slice(-3);
      reject(new Error(`${why}: ${(last.length ? last : lines.slice(-3)).join(' | ') || 'no log'}`));
    };
    child.on('error', (err) => fail(`could not start postgres (${err.message})`));
    child.on('exit', (code) => fail(`the recovering instance stopped (exit ${code})`));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) lines.push(line.trim());
      if (lines.length > 200) lines.splice(0, lines.length - 200);
      if (chunk.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve();
      }
    });
  });
  child.stderr!.resume();
  return { port, stop: () => stopInstance(child) };
}

/** Fast shutdown (SIGINT), then SIGKILL after 30 s. */
function stopInstance(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGINT');
  });
}

const alive = (pid: number): boolean => {
  try {
    return Number.isInteger(pid) && pid > 0 && (process.kill(pid, 0), true);
  } catch {
    return false;
  }
};

/** A scratch directory's name: the restoring process's pid first, so a sweep knows whose it is. */
export const scratchName = (id: string): string => `${process.pid}-${id}`;

/**
 * Removes scratch directories a killed restore left (its process gone): a postmaster still running in one is
 * stopped first (immediate shutdown). Resolves the directories removed.
 */
export async function sweepScratch(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    if (alive(Number(name.split('-')[0]))) continue;
    const dir = join(root, name);
    const pidFile = join(dir, 'postmaster.pid');
    const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (alive(postmaster)) {
      process.kill(postmaster, 'SIGQUIT');
      for (let i = 0; i < 100 && alive(postmaster); i++) await new Promise((r) => setTimeout(r, 100));
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
