import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { call, startProcess } from './setup.js';
import { meanOf } from './stats.js';
import { type LoadResult, type Target, wrk } from './wrk.js';

/**
 * Per-tenant figures' cost: GET /users/me on the running service (figures on, the default) and on a second
 * process of the same build with TENANT_FIGURES=false, one after the other, ABBA (on, off, off, on).
 */
export async function figuresCost(
  env: Record<string, string>,
  onBase: string,
  one: Target[],
  connections: number,
  seconds: number,
): Promise<{ on: LoadResult; off: LoadResult }> {
  const off = await startProcess('src/main.js', { ...env, TENANT_FIGURES: 'false' });
  try {
    const run = (base: string, s = Math.max(1, Math.round(seconds / 2))) =>
      wrk(base, 'GET', '/api/v1/users/me', one, 'single', connections, s);
    await run(off.base, 2); // its JIT and its tenant pool, as the running service's are
    const a1 = await run(onBase);
    const b1 = await run(off.base);
    const b2 = await run(off.base);
    const a2 = await run(onBase);
    return { on: meanOf(a1, a2), off: meanOf(b1, b2) };
  } finally {
    await off.stop();
  }
}

/** An operator created with the CLI, signed in: its Authorization header. */
export async function operatorAuth(
  env: Record<string, string>,
  base: string,
): Promise<Record<string, string>> {
  const email = `bench-ops-${Date.now()}@example.com`;
  const created = spawnSync(
    process.execPath,
    [join(import.meta.dirname, '..', 'cli.js'), 'operators:create', '--email', email],
    { env, encoding: 'utf8' },
  );
  const oneTime = /password: (\S+)/.exec(created.stdout)?.[1];
  if (!oneTime) throw new Error(`operators:create failed: ${created.stderr}`);
  const { accessToken } = await call(base, 'POST', '/api/v1/operator/auth/login', {
    email,
    password: oneTime,
    newPassword: 'violet lanterns over quiet harbours',
  });
  return { authorization: `Bearer ${accessToken}` };
}

const QUERIES = [
  '',
  'sort=load',
  'sort=size',
  'sort=activity',
  'q=bench-9',
  'status=active&sort=load&order=asc',
];

/**
 * The operators' tenant table over every tenant: an operator created with the CLI signs in, then requests
 * pages of GET /api/v1/operator/tenants one at a time (filters and each sort in turn); each request's time in
 * ms, measured by the client on loopback (the server's time plus a loopback round trip).
 */
export async function tenantTable(
  env: Record<string, string>,
  base: string,
  requests: number,
): Promise<number[]> {
  const auth = await operatorAuth(env, base);
  const times: number[] = [];
  for (let i = 0; i < requests + QUERIES.length; i++) {
    const started = performance.now();
    const res = await fetch(`${base}/api/v1/operator/tenants?${QUERIES[i % QUERIES.length]}`, {
      headers: auth,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`tenant table: ${res.status}`);
    if (i >= QUERIES.length) times.push(performance.now() - started); // the first of each: warm-up
  }
  return times;
}
