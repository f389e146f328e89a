import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/**
 * Every JSON route of the API documents the shape of its success reply (typed response DTOs); a route that
 * answers with another media type (CSV, an event stream, a file's bytes) declares that type instead.
 */
describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('gives every /api/v1 operation that answers with a body a response schema', async () => {
    const doc = (await t.http.get('/docs-json')).body as { paths: Record<string, Record<string, Operation>> };
    const missing: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(operations)) {
        const success = Object.entries(op.responses).filter(([code]) => code.startsWith('2'));
        if (success.every(([code]) => code === '204')) continue;
        checked++;
        const media = success.flatMap(([, r]) => Object.keys(r.content ?? {}));
        const otherMedia = media.length > 0 && !media.includes('application/json');
        const documented = otherMedia || success.some(([, r]) => r.content?.['application/json']?.schema);
        if (!documented) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it('names every operation with a readable, unique id and a summary; every error is the shared Problem', async () => {
    const doc = (await t.http.get('/docs-json')).body as { paths: Record<string, Record<string, Operation>> };
    const ids: string[] = [];
    const wrong: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        ids.push(op.operationId ?? '');
        if (!/^[a-z]+[A-Z][A-Za-z]+$/.test(op.operationId ?? ''))
          wrong.push(`${where}: id ${op.operationId}`);
        if (!op.summary) wrong.push(`${where}: no summary`);
        if (!op.security) wrong.push(`${where}: security unsaid`);
        for (const [status, response] of Object.entries(op.responses)) {
          const schema = response.content?.['application/problem+json']?.schema;
          if (Number(status) >= 400 && path.startsWith('/api/') && !schema) wrong.push(`${where}: ${status}`);
        }
        if (path.startsWith('/api/') && !Object.keys(op.responses).some((s) => s.startsWith('4')))
          wrong.push(`${where}: no 4xx`);
      }
    }
    expect(wrong).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // Tenant routes with a user need the header AND the bearer: one requirement object holding both.
    expect(doc.paths['/api/v1/products'].get.security).toEqual([{ 'tenant-header': [], tenant: [] }]);
    expect(doc.paths['/api/v1/core/auth/login'].post.security).toEqual([]);
  });

  it('names each page type after its row type', async () => {
    const doc = (await t.http.get('/docs-json')).body as { components: { schemas: Record<string, unknown> } };
    for (const name of ['ProductPage', 'ItemPage', 'PurchaseRequestPage', 'AuditLogPage', 'OrganizationPage'])
      expect(Object.keys(doc.components.schemas)).toContain(name);
  });

  it('has every route of the service named in docs/reference/api.md', async () => {
    const api = readFileSync(join(process.cwd(), 'docs/reference/api.md'), 'utf8');
    const doc = (await t.http.get('/docs-json')).body as { paths: Record<string, unknown> };
    const undocumented = Object.keys(doc.paths).filter((path) => {
      // A resource is named by its collection path; an action (`/submit`, `/low`, `export.csv`) by its last segment.
      const segments = path.replace(/\{(\w+)\}/g, ':$1').split('/');
      const collection = segments.slice(0, path.startsWith('/api/v1/core/') ? 5 : 4).join('/');
      const last = segments[segments.length - 1];
      return !api.includes(collection) || (!last.startsWith(':') && !api.includes(last));
    });
    expect(undocumented).toEqual([]);
  });
});
