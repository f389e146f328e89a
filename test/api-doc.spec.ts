import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_MAPPINGS } from '../src/error-codes.js';

/** docs/reference/api.md is the project's contract: whatever the code has, it names. */
const doc = readFileSync(join(process.cwd(), 'docs/reference/api.md'), 'utf8');

describe('docs/reference/api.md', () => {
  it('names every error code', () => {
    const missing = [...ERROR_MAPPINGS.keys()].filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  it('names every environment variable the service validates', () => {
    const dir = join(process.cwd(), 'src/config');
    const source = readdirSync(dir)
      .filter((f) => /^environment.*\.ts$/.test(f) && !f.endsWith('.spec.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const names = [...source.matchAll(/^\s+([A-Z][A-Z0-9_]+)\??!?:/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });

  it('names every CLI command', () => {
    const dir = join(process.cwd(), 'src/cli');
    const commands = readdirSync(dir)
      .filter((f) => /\.commands?\.ts$/.test(f))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/@Command\(\{\s*name: '([^']+)'/g)])
      .map((m) => m[1]);
    expect(commands.length).toBeGreaterThanOrEqual(7);
    expect(commands.filter((c) => !doc.includes(`\`${c}`))).toEqual([]);
  });
});
