import fc from 'fast-check';
import { TenantWorld } from './support/domain.js';
import {
  craftedCursor,
  hostile,
  type OpenApiDocument,
  type Operation,
  valueOf,
} from './support/openapi-arbitraries.js';
import { ReplyValidator } from './client/reply-validator.js';
import { startService, type Service } from './support/service.js';
import { onboard } from './support/tenants.js';
import { PRODUCTION_ENV, startTestApp, type TestApp } from './support/test-app.js';

const RUNS = 5000;
const MIN_PAST_GUARDS = 0.13;

/** Codes of the guards in front of a handler: authentication, roles, features, limits, the tenant header. */
const GUARD_CODES = new Set([
  'INVALID_TOKEN',
  'FORBIDDEN',
  'FEATURE_DISABLED',
  'RATE_LIMITED',
  'TENANT_HEADER_MISSING',
  'TENANT_HEADER_INVALID',
  'TENANT_NOT_FOUND',
  'TENANT_SUSPENDED',
  'TENANT_NOT_READY',
]);

function stoppedByGuard(status: number, body: string): boolean {
  if (status === 401 || status === 403 || status === 429) return true;
  try {
    return GUARD_CODES.has((JSON.parse(body) as { code?: string }).code ?? '');
  } catch {
    return false;
  }
}

interface Generated {
  method: string;
  path: string;
  /** The operation as the document names it, and whether the request is sure to reach it. */
  template: string;
  routed: boolean;
  query: [string, unknown][];
  body: unknown;
  token?: string;
  tenant?: string;
  /** How the path is spelled: as declared, a letter percent-encoded, or with a dot segment. */
  spelling: 'plain' | 'encoded' | 'dot';
  /** A multipart body instead of JSON (POST routes). */
  multipart?: MultipartCase;
}

const MULTIPART_CASES = ['no-boundary', 'no-part', 'two-parts', 'huge-name', 'one-file', 'garbage'] as const;
type MultipartCase = (typeof MULTIPART_CASES)[number];

function multipartBody(kind: MultipartCase): { type: string; body: Buffer } {
  const boundary = 'fuzzBoundary42';
  const part = (name: string, filename: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
    `Content-Type: application/octet-stream\r\n\r\nfuzz bytes\r\n`;
  const end = `--${boundary}--\r\n`;
  const typed = `multipart/form-data; boundary=${boundary}`;
  const bodies: Record<MultipartCase, [string, string]> = {
    'no-boundary': ['multipart/form-data', part('file', 'a.bin') + end],
    'no-part': [typed, end],
    'two-parts': [typed, part('file', 'a.bin') + part('file', 'b.bin') + end],
    'huge-name': [typed, part('file', 'n'.repeat(50_000)) + end],
    'one-file': [typed, part('file', 'fuzz.bin') + end],
    garbage: [typed, '\u0000\u00ff'.repeat(500)],
  };
  const [type, body] = bodies[kind];
  return { type, body: Buffer.from(body, 'latin1') };
}

/** The same route spelled otherwise: one letter of a literal segment percent-encoded, or a dot segment. */
function respell(path: string, spelling: Generated['spelling']): string {
  if (spelling === 'dot') return path.replace('/api/v1/', '/api/v1/x/../');
  if (spelling === 'plain') return path;
  const at = path.search(/[a-z](?=[a-z-]*(\/|$))/);
  return at < 0 ? path : `${path.slice(0, at)}%${path.charCodeAt(at).toString(16)}${path.slice(at + 1)}`;
}

/**
 * Issue 20, acceptance 2: also multipart bodies (no boundary, no part, two parts, huge names, garbage),
 * percent-encoded and dot-segment spellings of every path, sent to the service as its own process, which
 * must still be alive at the end; the share of requests that got past the guards is reported and asserted.
 * Issue 9, finding 8 and acceptance 2: requests generated with fast-check from the service's own OpenAPI
 * document — every route, both token contexts, conforming and hostile values (impossible dates, crafted
 * cursors, huge numbers, wrong types) — never get a 5xx, and every error is problem+json with a `code`.
 */
describe('fuzz: every route of the OpenAPI document', () => {
  let t: TestApp;
  let w: TenantWorld;
  let doc: OpenApiDocument;
  let service: Service;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ ...PRODUCTION_ENV, DOCS_ENABLED: 'true' });
    // The requests go to the service as its own process, so that its survival is observable.
    service = await startService({ ...PRODUCTION_ENV, DATABASE_URL: t.coreUrl });
    w = await TenantWorld.create(t, 'fuzz-co');
    // The owner's second organization: the one core routes by slug may suspend or delete.
    await onboard(t, w.owner, 'fuzz-spare');
    const pr = await w.purchaseRequest();
    ids.push(pr.id, pr.product.id, (await w.warehouse()).id, (await w.supplier()).id, (await w.item()).id);
    ids.push(...Object.values(w.ids));
    doc = (await t.http.get('/docs-json')).body as OpenApiDocument;
  }, 120_000);
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await service?.exited;
    await t?.close();
  });

  function requests(): fc.Arbitrary<Generated> {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op: op as Operation })),
    );
    const pathValue = (name: string) =>
      name === 'slug'
        ? fc.oneof(fc.constantFrom('fuzz-spare', 'no-such-org', 'fuzz-co'), fc.string({ maxLength: 50 }))
        : fc.oneof(fc.constantFrom(...ids), fc.uuid(), hostile.map(String), fc.string({ maxLength: 60 }));
    return fc.constantFrom(...operations).chain(({ path, method, op }) => {
      const params = op.parameters ?? [];
      const pathArbs = params
        .filter((p) => p.in === 'path')
        .map((p) => pathValue(p.name).map((v) => [p.name, v]));
      const queryArbs = params
        .filter((p) => p.in === 'query')
        .map((p) =>
          fc
            .option(p.name === 'cursor' ? fc.oneof(craftedCursor, fc.string()) : valueOf(p.schema, doc), {
              nil: undefined,
            })
            .map((v) => [p.name, v] as [string, unknown]),
        );
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      return fc
        .record({
          pathValues: fc.tuple(...pathArbs),
          query: fc.tuple(...queryArbs),
          body: bodySchema
            ? fc.oneof(valueOf(bodySchema, doc), fc.jsonValue({ maxDepth: 3 }))
            : fc.constant(undefined),
          token: fc.constantFrom(undefined, w.owner.token, ...Object.values(w.tokens), 'not.a.token'),
          tenant: fc.constantFrom('fuzz-co', 'fuzz-co', 'fuzz-co', undefined, 'fuzz-spare', 'NOT A SLUG'),
          spelling: fc.constantFrom('plain', 'plain', 'encoded', 'dot') as fc.Arbitrary<
            Generated['spelling']
          >,
          multipart:
            method === 'post'
              ? fc.oneof(
                  {
                    arbitrary: fc.constantFrom(...MULTIPART_CASES),
                    weight: path === '/api/v1/files' ? 4 : 1,
                  },
                  { arbitrary: fc.constant(undefined), weight: path === '/api/v1/files' ? 1 : 8 },
                )
              : fc.constant(undefined),
        })
        .map(({ pathValues, query, body, token, tenant, spelling, multipart }) => ({
          method: method.toUpperCase(),
          template: path,
          // An empty or dot-only path value, or another spelling, may reach another route (or none).
          routed:
            spelling === 'plain' &&
            (pathValues as [string, unknown][]).every(([, v]) => !/^\.*$/.test(String(v))),
          path: (pathValues as [string, unknown][]).reduce(
            (p, [name, value]) => p.replace(`{${name}}`, encodeURIComponent(String(value))),
            path,
          ),
          query: (query as [string, unknown][]).filter(([, v]) => v !== undefined),
          body,
          token,
          tenant,
          spelling,
          multipart,
        }));
    });
  }

  async function send(r: Generated): Promise<{ status: number; type: string; body: string }> {
    const qs = new URLSearchParams();
    for (const [k, v] of r.query) qs.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    const headers: Record<string, string> = {};
    if (r.token) headers.authorization = `Bearer ${r.token}`;
    if (r.tenant) headers['x-tenant'] = r.tenant;
    const hasBody = r.body !== undefined && r.method !== 'GET';
    let body: string | Buffer | undefined = hasBody ? JSON.stringify(r.body) : undefined;
    if (hasBody) headers['content-type'] = 'application/json';
    if (r.multipart) {
      const multipart = multipartBody(r.multipart);
      headers['content-type'] = multipart.type;
      body = multipart.body;
    }
    const path = respell(r.path, r.spelling);
    const res = await fetch(`${service.http.baseUrl}${path}${qs.size ? `?${qs}` : ''}`, {
      method: r.method,
      headers,
      body,
    });
    const type = res.headers.get('content-type') ?? '';
    if (type.startsWith('text/event-stream')) {
      // A live event stream never ends by itself: its status and type are the answer.
      await res.body?.cancel();
      return { status: res.status, type, body: '' };
    }
    return { status: res.status, type, body: await res.text() };
  }

  it(`answers ${RUNS} generated requests without a 5xx, each reply a status and body its operation declares`, async () => {
    let sent = 0;
    let pastGuards = 0;
    const validator = new ReplyValidator(doc as never);
    const undeclared = new Set<string>();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(), async (r) => {
        const res = await send(r);
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const where = `${r.method} ${respell(r.path, r.spelling)} ${r.multipart ?? ''} → ${res.status} ${res.body.slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`5xx: ${where}`);
        if (res.status < 300 || (res.status < 500 && !stoppedByGuard(res.status, res.body))) pastGuards++;
        if (res.status >= 400) {
          if (!res.type.startsWith('application/problem+json')) throw new Error(`not problem+json: ${where}`);
          if (typeof (JSON.parse(res.body) as { code?: unknown }).code !== 'string')
            throw new Error(`no code: ${where}`);
        }
        // The document is the contract: a reply that reached its route has a declared status, and an error's
        // body is the declared Problem (code among the enum).
        if (r.routed && !res.type.startsWith('text/event-stream')) {
          const json = /json/.test(res.type) && res.body !== '' ? JSON.parse(res.body) : undefined;
          const body = json ?? (res.body === '' ? undefined : res.body);
          const problem = validator.check(r.template, r.method, res.status, res.type, body);
          if (problem) undeclared.add(problem.slice(0, 400));
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(sent).toBe(RUNS);
    expect([...undeclared]).toEqual([]);
    // The process took all of it: still running, still serving.
    expect(service.child.exitCode).toBeNull();
    expect(service.child.signalCode).toBeNull();
    expect((await service.http.get('/health/live')).status).toBe(200);
    // How far the generator reached: past the guards (a 2xx, or a 4xx of validation or of the handler itself)
    // versus stopped by them (401, 403, 429, the tenant header's codes).
    const ok = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    const pct = (n: number) => `${((100 * n) / RUNS).toFixed(1)} %`;
    process.stdout.write(
      `fuzz: ${RUNS} requests: ${pastGuards} (${pct(pastGuards)}) past the guards, ${ok} (${pct(ok)}) 2xx; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`,
    );
    // Measured: about 26 % past the guards and 4 % 2xx; the floors are half of that.
    expect(pastGuards / RUNS).toBeGreaterThan(MIN_PAST_GUARDS);
    expect(ok / RUNS).toBeGreaterThan(0.02);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(4);
  }, 600_000);
});
