import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/common/net/free-port.js';
import { dropDatabase } from '../src/database/postgres-admin.js';
import { databaseOf, withDatabase } from '../src/database/postgres-identifiers.js';
import { HttpClient } from './support/http.js';
import { testServerUrl } from './support/servers.js';
import { PASSWORD, queryServer } from './support/tenants.js';
import { dropTenantDatabases, TEST_ENV } from './support/test-app.js';

/** These specs run the built service (`dist/`, made by `npm test`'s pretest build) as a real process. */
const MAIN = join(process.cwd(), 'dist', 'src', 'main.js');

function run(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|JWT_|NODE_ENV|SMTP_URL)/.test(k)),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitReady(http: HttpClient, output: () => string, timeoutMs = 90000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await http.get('/health/ready')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`service not ready:\n${output()}`);
}

describe('the service as a process', () => {
  it('refuses to start in production without the JWT secrets, naming both', async () => {
    const p = run({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      PORT: '0',
    });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toMatch(/JWT_CORE_SECRET/);
    expect(p.output()).toMatch(/JWT_TENANT_SECRET/);
  });

  it('lists every bad variable in one message', async () => {
    const p = run({
      PORT: 'eighty',
      BCRYPT_ROUNDS: '99',
      DATABASE_URL: 'mysql://x',
      JWT_CORE_SECRET: 'short',
    });
    expect(await p.exited).not.toBe(0);
    for (const name of ['PORT', 'BCRYPT_ROUNDS', 'DATABASE_URL', 'JWT_CORE_SECRET'])
      expect(p.output()).toContain(name);
  });

  it('starts on embedded Postgres with no DATABASE_URL, stops it on SIGTERM, and reuses it on the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-embedded-'));
    const port = await freePort();
    const http = new HttpClient(`http://127.0.0.1:${port}`);
    const env = { PORT: String(port), DATA_DIR: dataDir, BCRYPT_ROUNDS: '4', LOG_LEVEL: 'warn' };

    const first = run(env);
    try {
      await waitReady(http, first.output);
      expect((await http.get('/docs')).status).toBe(200);
      expect((await http.get('/docs-json')).body.openapi).toMatch(/^3\./);
      const reg = await http.post('/api/v1/core/auth/register', {
        email: 'e@example.com',
        password: 'long enough pw',
        name: 'E',
      });
      expect(reg.status).toBe(201);
      expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(dataDir, 'secrets.json'))).toBe(true);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);
    // The embedded postmaster stopped with the service.
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const second = run(env);
    try {
      await waitReady(http, second.output);
      // Same data: the owner registered by the first run is still there.
      const again = await http.post('/api/v1/core/auth/register', {
        email: 'e@example.com',
        password: 'long enough pw',
        name: 'E',
      });
      expect(again.status).toBe(409);
      expect(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8'))).toHaveProperty('core');
    } finally {
      second.child.kill('SIGINT');
    }
    expect(await second.exited).toBe(0);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });

  it("logs a class logger's line made during a request with that request's id", async () => {
    const port = await freePort();
    const http = new HttpClient(`http://127.0.0.1:${port}`);
    const coreUrl = withDatabase(testServerUrl(), `tenantry_logs_${Date.now()}`);
    const p = run({
      ...TEST_ENV,
      PORT: String(port),
      DATABASE_URL: coreUrl,
      LOG_LEVEL: 'info',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tenantry-logs-')),
    });
    try {
      await waitReady(http, p.output);
      const email = 'logs@example.com';
      const reg = await http.post('/api/v1/core/auth/register', { email, password: PASSWORD, name: 'L' });
      expect(reg.status).toBe(201);
      await queryServer(coreUrl, 'UPDATE owners SET email_verified_at = now() WHERE id = $1', [reg.body.id]);
      const login = await http.post('/api/v1/core/auth/login', { email, password: PASSWORD });
      const onboarded = await http.post(
        '/api/v1/core/organizations',
        { name: 'Logs', slug: 'logs-co' },
        { token: login.body.accessToken, headers: { 'x-request-id': 'corr-onboard-1' } },
      );
      expect(onboarded.status).toBe(201);
      // The provisioner's own line (a Nest class logger), not only Fastify's request line, carries the id.
      const lines = p
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { reqId?: string; context?: string; msg?: string });
      expect(lines).toContainEqual(
        expect.objectContaining({
          reqId: 'corr-onboard-1',
          context: 'TenantProvisioner',
          msg: 'organization onboarded',
        }),
      );
      // Outside any request a class logger still logs (the root logger), without a request id.
      expect(lines.some((l) => l.context && !l.reqId)).toBe(true);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
      await dropTenantDatabases(coreUrl);
      await dropDatabase(testServerUrl(), databaseOf(coreUrl));
    }
  });
});
