import { startTestApp, type TestApp } from './support/test-app.js';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** Every JSON route of the API documents the shape of its success reply (typed response DTOs). */
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
      if (!path.startsWith('/api/v1/') || path.endsWith('export.csv')) continue;
      for (const [method, op] of Object.entries(operations)) {
        const success = Object.entries(op.responses).filter(([code]) => code.startsWith('2'));
        if (success.every(([code]) => code === '204')) continue;
        checked++;
        const documented = success.some(([, r]) => r.content?.['application/json']?.schema);
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
});
