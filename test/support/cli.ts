import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_ENV } from './test-app.js';

const CLI = join(process.cwd(), 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js <args>` as `npm run cli -- <args>` does, without a TTY. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd = process.cwd(),
  onStdout?: (text: string, child: { kill(signal: NodeJS.Signals): boolean }) => void,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...TEST_ENV, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
