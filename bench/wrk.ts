import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedOr } from './debian-package.js';

export interface Target {
  slug: string;
  token: string;
}

/** `rotate`: one tenant, each request with the next token of the list (no token is seen twice in a row). */
export type Mix = 'single' | 'zipf' | 'uniform' | 'rotate';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  socketErrors: number;
}

const dir = mkdtempSync(join(tmpdir(), 'tenantry-wrk-'));

/** wrk's Lua: each request picks a tenant by the mix (zipf: 80 % to the first 20, 20 % to the rest). */
const SCRIPT = `
local targets = {}
local mix, method, path, body
init = function(args)
  mix, method, path = args[1], args[2], args[3]
  for line in io.lines(args[4]) do
    local slug, token = line:match("^(%S+) (%S+)$")
    table.insert(targets, { slug = slug, token = token })
  end
  if method == "POST" then body = '{"title":"bench item"}' end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
local next_token = 0
local function pick()
  local n = #targets
  if mix == "single" then return targets[1] end
  if mix == "rotate" then
    next_token = next_token % n + 1
    return targets[next_token]
  end
  if mix == "zipf" then
    local hot = math.min(20, n)
    if math.random() < 0.8 or n == hot then return targets[math.random(hot)] end
    return targets[hot + math.random(n - hot)]
  end
  return targets[math.random(n)]
end
request = function()
  local t = pick()
  local headers = { ["X-TENANT"] = t.slug, ["Authorization"] = "Bearer " .. t.token }
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
`;
const scriptFile = join(dir, 'tenants.lua');
writeFileSync(scriptFile, SCRIPT);

/** wrk must be on the PATH (Debian: `apt-get install -y wrk`); installed here when missing and root. */
export function ensureWrk(): void {
  installedOr('wrk', () => (spawnSync('wrk', ['--version']).error === undefined ? true : undefined));
}

let files = 0;

/** Load from a separate process: wrk with `connections` connections for `seconds`. */
export async function wrk(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  targets: Target[],
  mix: Mix,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const targetsFile = join(dir, `targets-${files++}.txt`);
  writeFileSync(targetsFile, targets.map((t) => `${t.slug} ${t.token}`).join('\n') + '\n');
  const args = [
    '-t',
    '2',
    '-c',
    String(connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    scriptFile,
  ];
  args.push(baseUrl, '--', mix, method, path, targetsFile);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`)),
    );
  });
  const m = /RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
  if (!m) throw new Error(`no result from wrk: ${out}`);
  const [requests, durationUs, p50, p99, non2xx, socketErrors] = m.slice(1).map(Number);
  return {
    rps: (requests - non2xx) / (durationUs / 1e6),
    p50: p50 / 1000,
    p99: p99 / 1000,
    requests,
    non2xx,
    socketErrors,
  };
}
