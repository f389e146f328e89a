import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/common/net/free-port.js';
import { HttpClient } from './http.js';
import { TEST_ENV } from './test-app.js';

const MAIN = join(process.cwd(), 'dist', 'src', 'main.js');

/** The built service as a real process (for crash specs: it can be SIGKILLed). */
export interface Service {
  child: ChildProcess;
  http: HttpClient;
  exited: Promise<NodeJS.Signals | number | null>;
}

export async function startService(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...TEST_ENV, LOG_LEVEL: 'silent', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
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
