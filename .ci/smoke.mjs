// The built service end to end, as a user starts it: on embedded Postgres (no DATABASE_URL, a fresh data
// directory: what every machine can have), then on the machine's Postgres when one answers on
// 127.0.0.1:5432 (said either way, never skipped silently). Each run: /health/ready, one registration.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

async function smoke(label, env) {
  const port = 3900 + Math.floor(Math.random() * 90);
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn', BCRYPT_ROUNDS: '4' },
    stdio: 'inherit',
  });
  const exited = new Promise((r) => child.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  try {
    let ready = false;
    for (let i = 0; i < 480 && !ready && child.exitCode === null; i++) {
      ready = await fetch(`${base}/health/ready`).then((r) => r.status === 200, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 250));
    }
    if (!ready) throw new Error('/health/ready never answered 200');
    const res = await fetch(`${base}/api/v1/core/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'smoke@example.com', password: 'tall ferns quietly 5', name: 'Smoke' }),
    });
    if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
    console.log(`smoke: ${label}: /health/ready 200, register 201`);
    return true;
  } catch (err) {
    console.error(`smoke: ${label}: FAILED: ${err.message}`);
    return false;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

let ok = true;
const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-smoke-'));
try {
  const env = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  ok = (await smoke('embedded Postgres (no DATABASE_URL)', env)) && ok;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const server = process.env.CI_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
const machine = await admin.connect().then(() => true, (err) => (console.log(`smoke: no machine Postgres at ${server} (${err.message}): the embedded run above is the smoke test`), false));
if (machine) {
  const db = `tenantry_smoke_${randomBytes(4).toString('hex')}`;
  const url = new URL(server);
  url.pathname = `/${db}`;
  try {
    ok = (await smoke(`the machine's Postgres (${db})`, { DATABASE_URL: url.toString() })) && ok;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
  }
}
process.exit(ok ? 0 : 1);
