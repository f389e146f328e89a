import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleFiles } from './console-files.js';
import { CONSOLE_CSP, registerConsoleRoutes } from './console-routes.js';

/** The console's files by name only, a clear 503 before the build, 404 for anything else (no traversal). */
describe('console routes', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeEach(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'tenantry-console-')), 'console');
    app = Fastify();
    registerConsoleRoutes(app, new ConsoleFiles(dir));
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  const build = () => {
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, '.secret.txt'), 'hidden');
    writeFileSync(join(dir, 'notes.md'), 'not a kind of file the build emits');
    writeFileSync(join(dir, '..', 'outside.txt'), 'outside the build');
  };

  it('answers 503 problem+json naming the build while there is none, never 500', async () => {
    for (const url of ['/console', '/console/', '/console/assets/index-abc123.js']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(res.json().detail).toContain('npm run build');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Built while running: served from then on.
    build();
    expect((await app.inject({ url: '/console' })).statusCode).toBe(200);
  });

  it('serves the page at /console and /console/, and its hashed assets for good', async () => {
    build();
    for (const url of ['/console', '/console/', '/console/index.html']) {
      const res = await app.inject({ url });
      expect([res.statusCode, res.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.body).toContain('<title>console</title>');
    }
    const asset = await app.inject({ url: '/console/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 for any path that is not one of its files', async () => {
    build();
    for (const url of [
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/%2e%2e/',
      '/console/%2e%2e/outside.txt',
      '/console/..%2foutside.txt',
      '/console/assets/../../outside.txt',
      '/console/assets',
      '/console/assets/',
      '/console/.secret.txt',
      '/console/notes.md',
      '/console/missing.js',
      '/console/%00',
    ]) {
      const res = await app.inject({ url });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      // Its refusals carry the console's policy too (those Fastify's router answers itself, for a path that
      // climbs out, do not: their body is a problem+json, nothing a browser runs).
      if (!/\.\.|%2e/i.test(url))
        expect({ url, csp: res.headers['content-security-policy'] }).toEqual({ url, csp: CONSOLE_CSP });
    }
    for (const method of ['POST', 'DELETE', 'OPTIONS'] as const)
      expect((await app.inject({ method, url: '/console/' })).headers['content-security-policy']).toBe(
        CONSOLE_CSP,
      );
  });

  it('finds a file a rebuild added, and forgets one it removed', async () => {
    build();
    expect((await app.inject({ url: '/console/assets/index-abc123.js' })).statusCode).toBe(200);
    rmSync(join(dir, 'assets', 'index-abc123.js'));
    writeFileSync(join(dir, 'assets', 'index-def456.js'), 'console.log(2)');
    expect((await app.inject({ url: '/console/assets/index-abc123.js' })).statusCode).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a listing is retaken at most once a second
    expect((await app.inject({ url: '/console/assets/index-def456.js' })).statusCode).toBe(200);
  });
});
