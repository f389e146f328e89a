import { requiredTool } from '../../bench/debian-package.js';
import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../src/common/net/free-port.js';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * A Redis for a spec: the machine's on 127.0.0.1:6379 when it answers, else a throw-away `redis-server` on a
 * free port (`.ci/system-packages.sh` installs it), stopped by the spec.
 */
export async function testRedis(): Promise<TestRedis> {
  const machine = 'redis://127.0.0.1:6379';
  if (await answers(machine)) return { url: machine, stop: async () => undefined };
  return startOwnRedis();
}

/** A throw-away `redis-server` (on `port`, else a free one), whatever runs on 6379: a spec may stop and start it. */
export async function startOwnRedis(port?: number): Promise<TestRedis> {
  requiredTool('redis-server', () =>
    spawnSync('redis-server', ['--version']).error === undefined ? true : undefined,
  );
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
