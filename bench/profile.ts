/**
 * `npm run bench:profile [-- GET|POST <path>]`: where a routed request's CPU goes. The built service runs
 * under `node --cpu-prof` with one tenant, wrk drives the route (default GET /api/v1/users/me) from its own
 * process for BENCH_SECONDS, and the profile's busiest functions (self time) and packages (inclusive) are
 * printed; the .cpuprofile stays for Chrome DevTools. What it showed is in docs/designs/performance.md.
 * BENCH_ONBOARD=N: the profiled process onboards N tenants itself first (only the load's last seconds are
 * summarised); BENCH_MIX=zipf|uniform spreads the load over them (bench/wrk.ts). Under CPU contention the
 * sampler charges a preempted thread's time to the call it was in (writev, mostly).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, benchPostgres, cleanUp, onboardTenants, settle, startProcess } from './setup.js';
import { ensureWrk, type Mix, wrk } from './wrk.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [verb = 'GET', path = '/api/v1/users/me'] = process.argv.slice(2);
if (verb !== 'GET' && verb !== 'POST') throw new Error('method: GET or POST');
const method: 'GET' | 'POST' = verb;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** Tenants the profiled process onboards itself before the load (state a long-running service carries). */
const ONBOARD = Number(process.env.BENCH_ONBOARD ?? 0);
/** Which of the onboarded tenants the load goes to (bench/wrk.ts): one, zipf 80/20 or uniform. */
const MIX = (process.env.BENCH_MIX ?? 'single') as Mix;
if (!['single', 'zipf', 'uniform'].includes(MIX)) throw new Error('BENCH_MIX: single, zipf or uniform');

/**
 * Self time by function, and inclusive time by package (or by file of the service); with `lastSeconds`,
 * only the samples of the profile's last seconds (the load, when the process did other work before it).
 */
export function summarise(profile: Profile, top = 25, lastSeconds = Infinity): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  const from = profile.endTime - lastSeconds * 1e6;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= from) time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const where = (url: string, fn: string) =>
    /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    (url.includes('/dist/') ? url.replace(/.*\/dist\//, '') : url.replace(/^node:/, '') || fn);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const n of profile.nodes) {
    const t = time.get(n.id) ?? 0;
    if (!t) continue;
    total += t;
    if (n.callFrame.functionName === '(idle)') idle += t;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${where(f.url, '')}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + t);
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const pkg = where(frame.url, frame.functionName);
      if (!seen.has(pkg)) inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + t);
      seen.add(pkg);
    }
  }
  const busy = total - idle;
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([k]) => !k.startsWith('(idle)') && k !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${((100 * t) / busy).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  return `busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s\n\nself time (% of busy)\n${rows(self)}\n\ninclusive, by package or file (% of busy)\n${rows(inclusive)}`;
}

ensureWrk();
const db = await benchPostgres();
const dir = mkdtempSync(join(tmpdir(), 'tenantry-profile-'));
const env = benchEnv(db);
const profiled = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
const setup = await startProcess('src/main.js', env, ONBOARD ? profiled : []);
try {
  const { targets } = await onboardTenants(setup.base, db.coreUrl, Math.max(1, ONBOARD));
  // Profiled from its start: the setup's onboarding is not in it (unless BENCH_ONBOARD asks for it, and
  // then only the load's last seconds are summarised), the route's warm-up is.
  if (!ONBOARD) await setup.stop();
  else await settle(db.serverUrl);
  const service = ONBOARD ? setup : await startProcess('src/main.js', env, profiled);
  try {
    await wrk(service.base, method, path, targets, MIX, 32, 2);
    const load = await wrk(service.base, method, path, targets, MIX, 32, SECONDS);
    console.log(
      `${method} ${path}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50.toFixed(2)} ms, p99 ${load.p99.toFixed(2)} ms`,
    );
  } finally {
    await service.stop();
  }
  const file = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!,
  );
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  console.log(`\n${summarise(profile, 25, ONBOARD ? SECONDS : Infinity)}\n\nprofile: ${file}`);
} finally {
  await cleanUp(db);
}
