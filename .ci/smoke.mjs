// Starts the built service against the machine's Postgres (when one answers on 127.0.0.1:5432) and checks
// /health/ready and one owner registration. A fresh machine without Postgres skips this part.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const server = process.env.CI_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
try {
  await admin.connect();
} catch (err) {
  console.log(`smoke: no Postgres at ${server} (${err.message}); skipped`);
  process.exit(0);
}
const db = `tenantry_smoke_${randomBytes(4).toString('hex')}`;
const url = new URL(server);
url.pathname = `/${db}`;
const port = 3900 + Math.floor(Math.random() * 90);
const child = spawn(process.execPath, ['dist/src/main.js'], {
  env: { ...process.env, DATABASE_URL: url.toString(), PORT: String(port), LOG_LEVEL: 'warn', BCRYPT_ROUNDS: '4' },
  stdio: 'inherit',
});
const base = `http://127.0.0.1:${port}`;
let failed = false;
try {
  let ready = false;
  for (let i = 0; i < 240 && !ready; i++) {
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
  console.log(`smoke: service on the machine's Postgres (${db}): /health/ready 200, register 201`);
} catch (err) {
  failed = true;
  console.error(`smoke: FAILED: ${err.message}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await admin.end();
}
process.exit(failed ? 1 : 0);
