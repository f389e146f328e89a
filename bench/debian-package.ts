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

/** The one script that installs every Debian package the test suite needs (`.ci/run` calls it first). */
export const SYSTEM_PACKAGES_SCRIPT = '.ci/system-packages.sh';

/**
 * For specs: what `find` finds of a tool, or an error that names the package and the script that installs
 * it. A spec never installs anything itself.
 */
export function requiredTool<T>(pkg: string, find: () => T | undefined): T {
  const found = find();
  if (found !== undefined) return found;
  throw new Error(
    `${pkg} is missing: run \`bash ${SYSTEM_PACKAGES_SCRIPT}\` (or apt-get install -y ${pkg}); specs never install packages`,
  );
}
