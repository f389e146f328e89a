import type { OpenAPIObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import type { HttpMapping } from '../errors/app-error.js';
import { problemCodes, type ProblemCode, statusOfCode } from './problem-codes.js';
import { PROBLEM_CODES_EXTENSION } from './operation.js';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Responses = Operation['responses'];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** RFC 9457 problem details as every error reply carries them (problem.ts), `code` closed over the real codes. */
const problemSchema = (codes: string[]) => ({
  type: 'object',
  description: 'An error reply (RFC 9457 problem details), sent as application/problem+json.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: {
      type: 'string',
      format: 'uri',
      description: 'A stable URI naming the problem, built from `code`.',
    },
    title: { type: 'string', description: 'The HTTP status phrase.' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What went wrong, safe to show a person.' },
    code: { type: 'string', enum: codes, description: 'The stable, machine-readable reason.' },
    errors: {
      type: 'array',
      description: 'Per-field reasons (validation failures).',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
});

/**
 * The codes any operation of its kind can answer, whatever its handler does: read off what the document
 * already says of it (its security, parameters and body), so that no route can forget them.
 */
function defaultCodes(path: string, method: string, op: Operation): ProblemCode[] {
  // Any request: a URL or headers Node or the router refuse, a database or budget that cannot answer.
  const codes: ProblemCode[] = ['BAD_REQUEST', 'REQUEST_TIMEOUT', 'REQUEST_HEADER_FIELDS_TOO_LARGE'];
  codes.push('SERVICE_UNAVAILABLE');
  const schemes = new Set((op.security ?? []).flatMap((requirement) => Object.keys(requirement)));
  const parameters = (op.parameters ?? []) as { in?: string; name?: string }[];
  if (parameters.some((p) => p.in === 'query' || p.in === 'path')) codes.push('VALIDATION_FAILED');
  // A path parameter longer than the router takes (Fastify's maxParamLength).
  if (parameters.some((p) => p.in === 'path')) codes.push('URI_TOO_LONG');
  if (op.requestBody) codes.push('VALIDATION_FAILED');
  // A method that may carry a body has it parsed (and refused) whether or not the route reads one.
  if (op.requestBody || BODY_METHODS.has(method)) {
    codes.push('MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  }
  if (schemes.has('core') || schemes.has('tenant') || schemes.has('operator')) codes.push('INVALID_TOKEN');
  if (schemes.has('tenant')) codes.push('FORBIDDEN');
  if (schemes.has('tenant-header')) {
    codes.push('TENANT_HEADER_MISSING', 'TENANT_HEADER_INVALID', 'TENANT_NOT_FOUND', 'TENANT_SUSPENDED');
    // The tenant's own request rate (limits.requestsPerSecond).
    codes.push('TENANT_NOT_READY', 'RATE_LIMITED');
  }
  if (/\/auth\//.test(path)) codes.push('RATE_LIMITED');
  return codes;
}

function routeCodes(op: Operation): ProblemCode[] {
  const record = op as unknown as Record<string, unknown>;
  const codes: ProblemCode[] = [];
  for (const key of Object.keys(record).filter((k) => k.startsWith(PROBLEM_CODES_EXTENSION))) {
    codes.push(...(record[key] as ProblemCode[]));
    delete record[key];
  }
  return codes;
}

/** One response per error status, each the shared Problem schema, its description naming the codes. */
function addProblemResponses(
  owners: ReadonlyMap<string, HttpMapping>,
  responses: Responses,
  codes: ProblemCode[],
): void {
  const byStatus = new Map<number, Set<ProblemCode>>();
  for (const code of codes) {
    const status = statusOfCode(owners, code);
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  for (const [status, set] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = [...set].sort().map((c) => `\`${c}\``);
    responses[String(status)] = {
      description: `Problem: ${list.join(', ')}`,
      content: { 'application/problem+json': { schema: PROBLEM_REF } },
      ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    };
  }
}

const RETRY_AFTER = {
  description: 'Seconds to wait before retrying.',
  schema: { type: 'integer', minimum: 0 },
} as const;

/**
 * Makes the generated document the exact contract a client is built from: the shared Problem schema on every
 * error status an operation can answer, `security: []` on public operations (no requirement at all would
 * leave it unsaid), and the API's server.
 */
export function finishDocument(
  document: OpenAPIObject,
  owners: ReadonlyMap<string, HttpMapping>,
): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    Problem: problemSchema(problemCodes(owners)) as never,
  };
  document.servers = [{ url: '/', description: 'This service (paths are absolute)' }];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      op.security ??= [];
      for (const [status, response] of Object.entries(op.responses) as [string, { description?: string }][])
        if (!response.description) response.description = STATUS_CODES[Number(status)] ?? status;
      const own = routeCodes(op);
      if (!path.startsWith('/api/')) {
        addProblemResponses(owners, op.responses, ['BAD_REQUEST', ...own]);
        continue;
      }
      addProblemResponses(owners, op.responses, [...defaultCodes(path, method, op), ...own]);
    }
  }
  return document;
}
