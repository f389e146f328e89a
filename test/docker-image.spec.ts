import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { requiredTool } from '../bench/debian-package.js';

/** `docker compose config` (the plugin) or `docker-compose config` (Debian's): both need no daemon. */
function composeConfig(env: Record<string, string>) {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  const [cmd, args] = plugin
    ? ['docker', ['compose', 'config']]
    : [
        requiredTool('docker-compose', () =>
          spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0
            ? 'docker-compose'
            : undefined,
        ),
        ['config'],
      ];
  return spawnSync(cmd, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
}

const SECRETS = {
  JWT_CORE_SECRET: 'c'.repeat(40),
  JWT_TENANT_SECRET: 't'.repeat(40),
  TENANT_DB_SECRET: 'd'.repeat(40),
};

/** Issue 21, item 4: the image and the compose file as a user runs them (checked without a Docker daemon). */
describe('docker image and compose file', () => {
  it('validates docker-compose.yml, with volumes for data and files and the production defaults', () => {
    const out = composeConfig(SECRETS);
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/appdata:\/data/);
    expect(out.stdout).toMatch(/pgdata:\/var\/lib\/postgresql\/data/);
    expect(out.stdout).toMatch(/DOCS_ENABLED: .false/);
    expect(out.stdout).toMatch(/NODE_ENV: production/);
  });

  it('refuses to start without the secrets, naming them', () => {
    const out = composeConfig({});
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/JWT_CORE_SECRET/);
  });

  it('builds on Node 24 with a data directory the runtime user owns', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.map((s) => s.split(/\s/)[0])).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    const runtime = stages[1];
    expect(runtime).toMatch(/DATA_DIR=\/data/);
    expect(runtime).toMatch(/chown -R node:node \/data/);
    // The ownership is set before the switch to the runtime user, which then owns the volume's first copy.
    expect(runtime.indexOf('chown -R node:node /data')).toBeLessThan(runtime.indexOf('USER node'));
  });
});
