import { requiredTool } from './debian-package.js';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../src/common/net/free-port.js';

/**
 * A throw-away cluster of the machine's own Postgres (Debian's `/usr/lib/postgresql/<major>/bin`, which
 * `.ci/system-packages.sh` installs), for specs that need Postgres's client programs to match the server: pg_dump
 * refuses a server newer than itself, and the embedded server is newer than Debian's pg_dump.
 */
export interface SystemPostgres {
  /** Superuser URL (SCRAM password) of the `postgres` database. */
  url: string;
  binDir: string;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const find = () =>
    existsSync(root)
      ? readdirSync(root)
          .filter(
            (d) => existsSync(join(root, d, 'bin', 'initdb')) && existsSync(join(root, d, 'bin', 'pg_dump')),
          )
          .sort((a, b) => Number(b) - Number(a))[0]
      : undefined;
  return join(root, requiredTool('postgresql-15', find), 'bin');
}

/** `settings`: more server settings (`-c name=value`), e.g. WAL archiving. */
export async function startSystemPostgres(settings: Record<string, string> = {}): Promise<SystemPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-syspg-'));
  const data = join(dir, 'data');
  const password = 'spec-superuser-password';
  writeFileSync(join(dir, 'pw'), password);
  const asPostgres =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
          gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
        }
      : {};
  if ('uid' in asPostgres) {
    chownSync(dir, asPostgres.uid!, asPostgres.gid!);
    chownSync(join(dir, 'pw'), asPostgres.uid!, asPostgres.gid!);
  }
  execFileSync(
    join(bin, 'initdb'),
    [
      '-D',
      data,
      '-U',
      'postgres',
      `--pwfile=${join(dir, 'pw')}`,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
    ],
    { stdio: 'ignore', ...asPostgres },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=100',
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { stdio: 'ignore', ...asPostgres },
  );
  const exited = new Promise((r) => child.once('exit', r));
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    const client = new pg.Client({ connectionString: url });
    const up = await client.connect().then(
      () => true,
      () => false,
    );
    await client.end().catch(() => undefined);
    if (up) break;
    if (i > 100 || child.exitCode !== null) throw new Error('the spec Postgres did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    binDir: bin,
    async stop() {
      child.kill('SIGINT'); // fast shutdown
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
