import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/common/net/free-port.js';
import { HttpClient } from './http.js';
import { TEST_ENV } from './test-app.js';

const MAIN = join(process.cwd(), 'dist', 'src', 'main.js');
const HEAP_PROBE = join(process.cwd(), 'test', 'support', 'heap-probe.cjs');

/** The built service as a real process (for crash specs: it can be SIGKILLed). */
export interface Service {
  child: ChildProcess;
  http: HttpClient;
  exited: Promise<NodeJS.Signals | number | null>;
}

export interface ServiceOptions {
  /** Preload test/support/heap-probe.cjs: `heapAfterGc(service)` then reads the service's own heap. */
  heapProbe?: boolean;
}

export async function startService(
  env: Record<string, string>,
  options: ServiceOptions = {},
): Promise<Service> {
  const port = await freePort();
  const probe = options.heapProbe ? ['--expose-gc', '--require', HEAP_PROBE] : [];
  const child = spawn(process.execPath, [...probe, MAIN], {
    env: { PATH: process.env.PATH ?? '', ...TEST_ENV, LOG_LEVEL: 'silent', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit', ...(options.heapProbe ? (['ipc'] as const) : [])],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  const http = new HttpClient(`http://127.0.0.1:${port}`);
  for (let i = 0; i < 200; i++) {
    const ok = await http.get('/health/ready').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, http, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('service did not become ready');
}

/** The heap a service started with `heapProbe` holds after three full collections, in bytes. */
export function heapAfterGc(service: Service): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { heapUsed?: number }) => {
      if (typeof message?.heapUsed !== 'number') return;
      service.child.off('message', onMessage);
      resolve(message.heapUsed);
    };
    service.child.on('message', onMessage);
    if (!service.child.send('heap')) reject(new Error('the service has no heap probe channel'));
  });
}

/** A process's resident memory now, in MiB (Linux: /proc). */
export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}
