// `npm start` builds only when a source is newer than the build (a full `nest build` takes 20-30 s), or when a
// part of the build is missing: the service (nest build) or the operators' console (vite, console/).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUILT = ['dist/src/main.js', 'dist/console/index.html'];
const SOURCES = [
  'src',
  'migrations-core',
  'migrations-tenant',
  'cli.ts',
  'console',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

// The older part of the build: `npm run build` writes the service first, then the console.
const built = Math.min(...BUILT.map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0)));
if (SOURCES.some((source) => newest(source) > built)) {
  console.log('building (sources changed since the last build)…');
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}
