import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { grantTraverse } from '../../database/embedded-postgres.js';

/** Who runs a Postgres process this service starts: itself, or (as root, which Postgres refuses) `postgres`. */
export interface RunAs {
  uid?: number;
  gid?: number;
}

export function postgresRunAs(): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Gives a tree to `runAs`'s user (a no-op when the service is not root). */
export function chownTree(path: string, runAs: RunAs): void {
  if (runAs.uid === undefined || runAs.gid === undefined) return;
  chownSync(path, runAs.uid, runAs.gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), runAs);
}

/** Makes a directory (and its parents) and gives it to `owner` (a uid/gid pair), for a server to write into. */
export function ownedDirectory(path: string, owner: RunAs): void {
  mkdirSync(path, { recursive: true, mode: 0o711 });
  if (owner.uid === undefined || owner.gid === undefined) return;
  grantTraverse(path);
  chownSync(path, owner.uid, owner.gid);
}

/**
 * The directory holding `postgres` for a server of `major`: the embedded package's binaries when their major
 * matches, else Debian's or the PGDG RPMs' layout. A recovery must run the server's own major.
 */
export async function postgresBinDir(major: number): Promise<string> {
  const candidates: string[] = [];
  try {
    const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
    const dir = binaries.postgres.replace(/\/postgres$/, '');
    const version = execFileSync(binaries.postgres, ['--version'], { encoding: 'utf8' });
    if (Number(/(\d+)\.\d+/.exec(version)?.[1]) === major) candidates.push(dir);
  } catch {
    // No embedded binaries for this platform: the system's, if any.
  }
  candidates.push(`/usr/lib/postgresql/${major}/bin`, `/usr/pgsql-${major}/bin`);
  const found = candidates.find((dir) => existsSync(join(dir, 'postgres')));
  if (!found)
    throw new Error(
      `a point-in-time restore runs the server's own Postgres ${major}, and none is on this machine (looked in ${candidates.join(', ')})`,
    );
  return found;
}

/**
 * What a base backup leaves out of the data directory (Postgres' "Making a Base Backup Using the Low Level
 * API"): the server's runtime files, and the contents of directories recovery recreates or refills.
 */
const SKIPPED_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map']);
const EMPTIED_DIRS = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);

/**
 * Copies a running cluster's data directory (between pg_backup_start and pg_backup_stop): files that vanish
 * while it runs are skipped (WAL replay recreates what matters); symlinks stay symlinks. Resolves the bytes.
 */
export async function copyDataDirectory(
  from: string,
  to: string,
  /** false: a base backup's copy, taken whole (its backup_label included). */
  live = true,
  top = true,
): Promise<number> {
  mkdirSync(to, { recursive: true, mode: 0o700 });
  let bytes = 0;
  let names: string[];
  try {
    names = readdirSync(from);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  for (const name of names) {
    if (live && top && SKIPPED_FILES.has(name)) continue;
    if (name.startsWith('pgsql_tmp') || name === 'pg_internal.init') continue;
    const source = join(from, name);
    const target = join(to, name);
    let stat;
    try {
      stat = lstatSync(source);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (stat.isDirectory()) {
      if (live && top && EMPTIED_DIRS.has(name)) mkdirSync(target, { mode: 0o700 });
      else bytes += await copyDataDirectory(source, target, live, false);
    } else if (stat.isFile()) {
      try {
        await copyFile(source, target);
        bytes += stat.size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  if (top) mkdirSync(join(to, 'pg_wal', 'archive_status'), { recursive: true, mode: 0o700 });
  return bytes;
}
