export { archiveCommand, restoreCommand } from '../../database/wal-archive.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where point-in-time material lives, per database server, under `DATA_DIR/pitr/<server>/`: `wal/` (the
 * server's archive_command copies each finished WAL segment there) and `base/<stamp>/` (a base backup: the
 * cluster's files in `data/`, its facts in `base.json`). Scratch instances recover under `DATA_DIR/pitr/scratch/`.
 */
export interface PitrLayout {
  root: string;
  wal: string;
  base: string;
}

export function pitrLayout(dataDir: string, server: string): PitrLayout {
  const root = join(resolve(dataDir), 'pitr', server);
  return { root, wal: join(root, 'wal'), base: join(root, 'base') };
}

export const scratchRoot = (dataDir: string): string => join(resolve(dataDir), 'pitr', 'scratch');

/** What a base backup records of itself (`base.json`). */
export interface BaseBackup {
  server: string;
  /** The directory holding `data/` and `base.json`. */
  dir: string;
  startedAt: string;
  /** When the backup ended: a recovery can reach any time after this (given the WAL). */
  finishedAt: string;
  /** The first WAL segment a recovery from it needs. */
  startWal: string;
  serverVersionNum: number;
  bytes: number;
}

/** A server's base backups, oldest first. */
export function listBaseBackups(layout: PitrLayout): BaseBackup[] {
  if (!existsSync(layout.base)) return [];
  const found: BaseBackup[] = [];
  for (const name of readdirSync(layout.base).sort()) {
    const meta = join(layout.base, name, 'base.json');
    if (!existsSync(meta)) continue;
    found.push({ ...(JSON.parse(readFileSync(meta, 'utf8')) as BaseBackup), dir: join(layout.base, name) });
  }
  return found.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
}

/** The newest base backup that ended before `at` (a recovery to `at` starts from it). */
export function baseBackupBefore(layout: PitrLayout, at: Date): BaseBackup | undefined {
  return listBaseBackups(layout)
    .filter((b) => new Date(b.finishedAt).getTime() < at.getTime())
    .at(-1);
}

/** The 24-hex-digit name of a WAL segment file (timeline, log, segment). */
export const WAL_SEGMENT = /^[0-9A-F]{24}$/;
