import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../src/common/net/free-port.js';
import { installedOr, requiredTool } from './debian-package.js';

/**
 * A real PgBouncer (transaction mode) in front of a spec's or the bench's own Postgres. The bench installs
 * it when missing (`install`, as root); a spec requires it (`.ci/system-packages.sh` installs it).
 */
export interface PgBouncer {
  /** A URL whose host and port are PgBouncer's (the service swaps in each tenant's role and database). */
  url: string;
  /** Client connections PgBouncer holds for tenant roles now (`SHOW CLIENTS` on its admin console). */
  tenantClients(): Promise<number>;
  stop(): Promise<void>;
}

function pgbouncerBinary(install: boolean): string {
  return (install ? installedOr : requiredTool)('pgbouncer', () =>
    ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => spawnSync(p, ['--version']).status === 0),
  );
}

/**
 * `serverUrl` is the Postgres admin URL (user postgres and its password). Tenant roles log in through
 * PgBouncer with SCRAM: PgBouncer looks their secrets up with `auth_query` (as postgres) and passes the
 * authentication through to the server. PgBouncer refuses to run as root: it runs as `postgres`.
 */
export async function startPgBouncer(
  serverUrl: string,
  {
    poolSize = 2,
    serverIdleSeconds = 1,
    install = false,
  }: { poolSize?: number; serverIdleSeconds?: number; install?: boolean } = {},
): Promise<PgBouncer> {
  const bin = pgbouncerBinary(install);
  const server = new URL(serverUrl);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-pgbouncer-'));
  const password = decodeURIComponent(server.password);
  writeFileSync(join(dir, 'userlist.txt'), `"postgres" "${password}"\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'auth_user = postgres',
      'admin_users = postgres',
      'auth_query = SELECT usename, passwd FROM pg_shadow WHERE usename = $1',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 4000',
      `server_idle_timeout = ${serverIdleSeconds}`,
      'server_login_retry = 1',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  if (process.getuid?.() === 0) {
    chmodSync(dir, 0o700);
    for (const f of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(join(dir, f), uid, gid);
  }
  const child: ChildProcess = spawn(bin, [join(dir, 'pgbouncer.ini')], {
    stdio: 'ignore',
    ...(process.getuid?.() === 0 ? { uid, gid } : {}),
  });
  const exited = new Promise((r) => child.once('exit', r));
  for (let i = 0; ; i++) {
    const log = (() => {
      try {
        return readFileSync(join(dir, 'pgbouncer.log'), 'utf8');
      } catch {
        return '';
      }
    })();
    if (log.includes('process up')) break;
    if (child.exitCode !== null || i > 100) throw new Error(`PgBouncer did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = new URL(serverUrl);
  url.port = String(port);
  const console = new URL(url);
  console.pathname = '/pgbouncer';
  return {
    url: url.toString(),
    async tenantClients() {
      const admin = new pg.Client({ connectionString: console.toString() });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ user: string }>('SHOW CLIENTS');
        return rows.filter((r) => r.user.startsWith('t_')).length;
      } finally {
        await admin.end();
      }
    },
    stop: async () => {
      child.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
