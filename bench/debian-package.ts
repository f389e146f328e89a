import { execFileSync } from 'node:child_process';

/**
 * What `find` finds of a tool the bench or a spec needs. When it finds nothing and this runs as root (CI
 * runs on a machine like this one), Debian's `pkg` is installed and it looks again; otherwise it throws
 * with the command that installs it.
 */
export function installedOr<T>(pkg: string, find: () => T | undefined): T {
  const found = find();
  if (found !== undefined) return found;
  if (process.getuid?.() === 0) {
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', pkg], { stdio: 'ignore' });
    const installed = find();
    if (installed !== undefined) return installed;
  }
  throw new Error(`${pkg} is missing and could not be installed here: apt-get install -y ${pkg}`);
}
