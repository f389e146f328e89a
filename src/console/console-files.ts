import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** The content type of each kind of file a Vite build of the console emits; any other file is not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A listing is taken again at most this often when a request names a file it lacks (a fresh build). */
const RESCAN_MS = 1000;

export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  /** Under `assets/`: its name carries a hash of its content, so it may be cached for good. */
  immutable: boolean;
}

/**
 * The files of the built console (`dist/console`), served by name only: a request is answered from the
 * listing of the build directory, so a path that is not one of its files (`..`, encoded or not, a
 * directory, a dot file) is never read. A missing build is told apart from a missing file.
 */
export class ConsoleFiles {
  private listing = new Map<string, string>();
  private scannedAt = 0;

  constructor(readonly dir: string) {}

  /** Whether the build exists (its index.html is listed), looking again when it was not. */
  async built(): Promise<boolean> {
    if (!this.listing.has('index.html')) await this.scan(true);
    return this.listing.has('index.html');
  }

  /** The file at `path` (relative to the build, `/`-separated), or null when the build has no such file. */
  async read(path: string): Promise<ConsoleFile | null> {
    if (!this.listing.has(path)) await this.scan(false);
    const absolute = this.listing.get(path);
    if (!absolute) return null;
    try {
      return {
        body: await readFile(absolute),
        contentType: CONTENT_TYPES[extname(path)],
        immutable: path.startsWith('assets/'),
      };
    } catch {
      // Removed since the listing (a rebuild): forget the listing, answer as for any unknown file.
      this.listing.clear();
      return null;
    }
  }

  private async scan(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.scannedAt < RESCAN_MS) return;
    this.scannedAt = now;
    const found = new Map<string, string>();
    for (const file of await walk(this.dir)) {
      const name = relative(this.dir, file).split(sep).join('/');
      if (CONTENT_TYPES[extname(name)] && !name.split('/').some((part) => part.startsWith('.')))
        found.set(name, file);
    }
    this.listing = found;
  }
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.isFile() ? [path] : [];
    }),
  );
  return files.flat();
}
