import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Operation {
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

  it('names each page type after its row type', async () => {
    const doc = (await t.http.get('/docs-json')).body as { components: { schemas: Record<string, unknown> } };
    for (const name of ['ProductPage', 'ItemPage', 'PurchaseRequestPage', 'AuditLogPage', 'OrganizationPage'])
      expect(Object.keys(doc.components.schemas)).toContain(name);
  });

  it('has every route of the service named in docs/api.md', async () => {
    const api = readFileSync(join(process.cwd(), 'docs/api.md'), 'utf8');
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
