import { existsSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, installed by .ci/system-packages.sh (playwright-core downloads no browser). */
export const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'artifacts', 'console');
const DOC_IMAGES = join(process.cwd(), 'docs', 'images');

export interface Problems {
  /** Uncaught exceptions of the page. */
  pageErrors: string[];
  /** Console errors and warnings, with the URL they name. */
  console: { type: string; text: string; url: string }[];
}

/** Launches Chromium, failing (never skipping) with what to run when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run \`bash .ci/system-packages.sh\` as root (it installs the Debian package chromium).`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

/** A page that records its errors and its Content-Security-Policy violations (both must stay empty). */
export async function watchedPage(browser: Browser): Promise<{ page: Page; problems: Problems }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  // Installed through the DevTools protocol, so the page's own CSP does not apply to it. (A string: the specs
  // compile without the DOM's types.)
  await context.addInitScript({
    content: `window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
        e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ')'));`,
  });
  const page = await context.newPage();
  const problems: Problems = { pageErrors: [], console: [] };
  page.on('pageerror', (err) => problems.pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      problems.console.push({ type: msg.type(), text: msg.text(), url: msg.location().url });
  });
  return { page, problems };
}

const SESSION = "sessionStorage.getItem('tenantry.console.session')";

/** The console's session (its tokens) as the page keeps it, or null. */
export async function sessionOf(page: Page): Promise<{ accessToken: string; refreshToken: string } | null> {
  return JSON.parse((await page.evaluate<string | null>(SESSION)) ?? 'null');
}

/** Makes the page's access token one the service refuses (401), as an expired one is. */
export async function spoilAccessToken(page: Page): Promise<void> {
  await page.evaluate(`(() => { const s = JSON.parse(${SESSION});
    sessionStorage.setItem('tenantry.console.session', JSON.stringify({ ...s, accessToken: 'expired.token' })); })()`);
}

/** The page's paint timings (`first-paint`, `first-contentful-paint`), ms since navigation start. */
export async function paintTimes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    "Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, Math.round(e.startTime)]))",
  );
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__cspViolations || []');
}

/** Polls `read` until `ok` holds; the error names what was awaited and what was last seen. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls the text of the element with this data-testid until `ok` holds. */
export function showing(page: Page, testid: string, ok: (text: string) => boolean, timeoutMs?: number) {
  return until(testid, () => textOf(page, testid), ok, timeoutMs);
}

/** The text of the element with this data-testid, once it is there. */
export async function textOf(page: Page, testid: string): Promise<string> {
  return (await page.getByTestId(testid).first().textContent({ timeout: 10_000 })) ?? '';
}

/** Screenshots: on failure under artifacts/console/ (gitignored); of each page for the docs on request. */
export async function failureShot(page: Page | undefined, name: string): Promise<void> {
  if (!page) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
}

/** `CONSOLE_SCREENSHOTS=1` regenerates docs/images/console-<name>.png (docs/operations.md shows them). */
export async function docShot(page: Page, name: string): Promise<void> {
  if (process.env.CONSOLE_SCREENSHOTS !== '1') return;
  mkdirSync(DOC_IMAGES, { recursive: true });
  await page.screenshot({ path: join(DOC_IMAGES, `console-${name}.png`), fullPage: false });
}

/** A GET with the path sent exactly as written (fetch would resolve `..` before sending). */
export function rawGet(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
