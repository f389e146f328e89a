import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { freePort } from '../src/common/net/free-port.js';
import { type OpenApiDocument, ReplyValidator } from './client/reply-validator.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type RunClientFlow = (
  ctx: { baseUrl: string; validator: ReplyValidator; verificationToken(email: string): Promise<string> },
  run: string,
) => Promise<void>;

const CLIENT_DIR = join(process.cwd(), 'test/client');
const GENERATED = join(CLIENT_DIR, 'generated');

/** A tool of the project's own devDependencies, run by the Node that runs the suite. */
function runTool(script: string, args: string[]): { status: number | null; output: string } {
  const res = spawnSync(process.execPath, [join(process.cwd(), 'node_modules', script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 120_000,
  });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/**
 * The OpenAPI document as a client's author meets it: linted by Redocly's recommended rules, turned into types
 * by openapi-typescript, a client written with openapi-fetch type-checked against them (tsc, strict) and run
 * through the owner and tenant flows, every reply it gets validated against its declared schema with ajv.
 */
describe('the API through a client generated from its OpenAPI document', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    smtp = new SmtpSink(await freePort());
    await smtp.start();
    t = await startTestApp({ SMTP_URL: smtp.url });
    doc = (await t.http.get('/docs-json')).body as OpenApiDocument;
    mkdirSync(GENERATED, { recursive: true });
    writeFileSync(join(GENERATED, 'openapi.json'), JSON.stringify(doc, null, 2));
    writeFileSync(join(GENERATED, 'api.d.ts'), astToString(await openapiTS(doc as never)));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it("passes Redocly's recommended rules with no error and no warning", () => {
    const lint = runTool('@redocly/cli/bin/cli.js', [
      'lint',
      '--extends=recommended',
      join(GENERATED, 'openapi.json'),
    ]);
    expect(lint.output).toContain('Your API description is valid');
    expect(lint.output).not.toMatch(/\d+ warnings?/);
    expect(lint.status).toBe(0);
  }, 120_000);

  it('type-checks a client written against the generated types (tsc, strict)', () => {
    const tsc = runTool('typescript/bin/tsc', ['-p', join(CLIENT_DIR, 'tsconfig.json')]);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('runs the owner and tenant flows, every reply (2xx and 4xx) matching its declared schema', async () => {
    const validator = new ReplyValidator(doc);
    // Imported by a computed name: the flow's types exist only once generated, so the suite's own type-check
    // (npm run lint, before the document can be served) does not follow it; the tsc run above checks it.
    const flowModule: string = './client/client-flow.js';
    const { runClientFlow } = (await import(flowModule)) as { runClientFlow: RunClientFlow };
    await runClientFlow(
      {
        baseUrl: t.baseUrl,
        validator,
        verificationToken: async (email) => tokenFrom(await smtp.waitFor(email, /verify/i)),
      },
      `r${Date.now().toString(36)}`,
    );
    expect(validator.failures).toEqual([]);
    const errors = validator.replies.filter((r) => r.status >= 400).length;
    process.stdout.write(
      `client flow: ${validator.replies.length} replies (${errors} errors) of ${new Set(validator.replies.map((r) => r.operation)).size} operations, all valid\n`,
    );
    const statuses = new Set(validator.replies.map((r) => r.status));
    for (const status of [200, 201, 202, 204, 206, 400, 401, 403, 404, 409])
      expect(statuses).toContain(status);
    const operations = new Set(validator.replies.map((r) => r.operation));
    expect(operations.size).toBeGreaterThanOrEqual(45);
    expect(validator.replies.filter((r) => r.status >= 400).length).toBeGreaterThanOrEqual(25);
  }, 180_000);

  it('the validator fails a reply that is not what the document says (so the flow above could fail)', () => {
    const validator = new ReplyValidator(doc);
    const product = '/api/v1/products/{id}';
    const json = 'application/json';
    const problem = 'application/problem+json';
    const notFound = {
      type: 'https://tenantry.dev/problems/product-not-found',
      title: 'Not Found',
      status: 404,
      code: 'PRODUCT_NOT_FOUND',
    };
    expect(validator.check(product, 'get', 404, problem, notFound)).toBeUndefined();
    expect(validator.check(product, 'get', 404, problem, { ...notFound, code: 'NO_SUCH_CODE' })).toMatch(
      /allowed values/,
    );
    expect(validator.check(product, 'get', 200, json, { id: 'not-a-product' })).toMatch(/required/);
    expect(validator.check(product, 'get', 418, problem, notFound)).toMatch(/not declared/);
    expect(validator.check(product, 'get', 200, 'text/html', '<p>')).toMatch(/media type/);
  });
});
