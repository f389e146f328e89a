import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import pg from 'pg';
import { guardedPipe } from '../common/streams/guarded-pipe.js';

/**
 * Postgres's own client programs (`pg_dump`, `pg_restore`) for backups and copies: a file any Postgres
 * user can restore, made by the tool that knows every object type. The binaries come from `PG_BIN_DIR`,
 * else the newest `/usr/lib/postgresql/<major>/bin` (Debian's layout), else `PATH`. A `pg_dump` older than
 * the server refuses to dump it, so the major versions are compared first and the error says what to do.
 */
export type PgTool = 'pg_dump' | 'pg_restore';

export function pgToolPath(tool: PgTool, binDir?: string): string {
  if (binDir) return join(binDir, tool);
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', tool)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return majors.length > 0 ? join(root, majors[0], 'bin', tool) : tool;
}

/** The URL without its password, and the password for the child's environment (never on a command line). */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, PGPASSWORD: password } };
}

async function toolMajor(tool: PgTool, binDir?: string): Promise<number> {
  const child = spawn(pgToolPath(tool, binDir), ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const out = await finished(child, 'pipe');
  const major = /(\d+)(?:\.\d+)?/.exec(out)?.[1];
  if (!major) throw new Error(`${tool}: cannot read its version`);
  return Number(major);
}

/** Refuses early, with the remedy, when the tool cannot handle the server at `url`. */
export async function assertToolFits(tool: PgTool, url: string, binDir?: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let server: number;
  try {
    server = Math.floor(
      Number((await client.query('SHOW server_version_num')).rows[0].server_version_num) / 10000,
    );
  } finally {
    await client.end();
  }
  const major = await toolMajor(tool, binDir).catch((err: Error) => {
    throw new Error(
      `${tool} not found (${err.message}); install the Postgres client programs or set PG_BIN_DIR`,
    );
  });
  if (major < server)
    throw new Error(
      `${tool} ${major} cannot work with a Postgres ${server} server; set PG_BIN_DIR to version ${server}'s`,
    );
}

/** `pg_dump <args>` of the database at `url`: to `--file` when args name one, else on `child.stdout`. */
export function pgDump(
  url: string,
  args: string[],
  binDir?: string,
): { child: ChildProcess; done: Promise<void> } {
  const { dbname, env } = connection(url);
  const child = spawn(pgToolPath('pg_dump', binDir), [...args, `--dbname=${dbname}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, done: finished(child).then(() => undefined) };
}

/** `pg_restore <args>` into the database at `url`, reading the archive from `input` when given. */
export function pgRestore(url: string, args: string[], binDir?: string, input?: Readable): Promise<void> {
  const { dbname, env } = connection(url);
  const child = spawn(pgToolPath('pg_restore', binDir), [...args, `--dbname=${dbname}`], {
    env,
    stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'],
  });
  if (input) guardedPipe(input, child.stdin!);
  return finished(child).then(() => undefined);
}

/**
 * `pg_dump <dumpArgs> source | pg_restore <restoreArgs> target`, streamed (nothing on disk). Whichever side
 * fails first fails the copy; the other is stopped rather than left waiting.
 */
export async function pgCopy(
  source: string,
  target: string,
  dumpArgs: string[],
  restoreArgs: string[],
  binDir?: string,
): Promise<void> {
  await assertToolFits('pg_dump', source, binDir);
  const dump = pgDump(source, dumpArgs, binDir);
  await Promise.all([dump.done, pgRestore(target, restoreArgs, binDir, dump.child.stdout!)]).catch(
    (err: Error) => {
      dump.child.kill();
      throw err;
    },
  );
}

/** Resolves the child's stdout (when piped here) once it exits 0; rejects with its last stderr lines otherwise. */
function finished(child: ChildProcess, stdout?: 'pipe'): Promise<string> {
  let out = '';
  let err = '';
  if (stdout) child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else
        reject(
          new Error(
            `${child.spawnfile.split('/').pop()} failed (${signal ?? `exit ${code}`}): ${err.trim()}`,
          ),
        );
    });
  });
}
