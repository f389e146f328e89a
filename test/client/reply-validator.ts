import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';

/** The parts of an OpenAPI 3.0 document the validator reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components?: Record<string, unknown>;
}
interface ResponseObject {
  content?: Record<string, { schema?: unknown }>;
}

export interface ValidatedReply {
  operation: string;
  status: number;
  problem?: string;
}

// ajv-formats is CommonJS with a default export; under NodeNext its namespace is what `import` gives.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks every reply a client gets against what the OpenAPI document declares for its operation and status:
 * an undeclared status, an undeclared media type or a JSON body that does not match its schema is a
 * failure. Used as openapi-fetch middleware, so no reply of the client escapes it.
 */
export class ReplyValidator {
  readonly replies: ValidatedReply[] = [];
  readonly failures: string[] = [];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    // OpenAPI 3.0 schemas: `nullable` is ajv's own OpenAPI keyword; `example` and such are annotations.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(doc as object, 'openapi');
  }

  /** The failure for one reply, or undefined when it is what the document says. */
  check(
    path: string,
    method: string,
    status: number,
    contentType: string,
    body: unknown,
  ): string | undefined {
    const where = `${method.toUpperCase()} ${path} → ${status}`;
    const operation = this.doc.paths[path]?.[method.toLowerCase()];
    if (!operation) return `${where}: no such operation in the document`;
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) return `${where}: status not declared (declared: ${Object.keys(operation.responses)})`;
    if (!response.content) return body === undefined ? undefined : `${where}: a body where none is declared`;
    const media = contentType.split(';')[0].trim().toLowerCase();
    const declared = response.content[media] ? media : response.content['*/*'] ? '*/*' : undefined;
    if (!declared) return `${where}: media type ${media || '(none)'} not declared`;
    if (!/json$/.test(media) || !response.content[declared].schema) return undefined;
    const validate = this.validator(path, method, String(status), declared);
    return validate(body)
      ? undefined
      : `${where}: ${this.ajv.errorsText(validate.errors)} in ${JSON.stringify(body)}`;
  }

  private validator(path: string, method: string, status: string, media: string): ValidateFunction {
    const ref = ['paths', path, method.toLowerCase(), 'responses', status, 'content', media, 'schema']
      .map(pointer)
      .join('/');
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi#/${ref}` });
      this.compiled.set(ref, validate);
    }
    return validate;
  }

  /** openapi-fetch middleware that checks each reply (on a copy; the caller reads the original). */
  middleware(): Middleware {
    return {
      onResponse: async ({ request, response, schemaPath }) => {
        const type = response.headers.get('content-type') ?? '';
        const text = await response.clone().text();
        let body: unknown = text === '' ? undefined : text;
        if (/json/.test(type) && text !== '') body = JSON.parse(text);
        const problem = this.check(schemaPath, request.method, response.status, type, body);
        const operation = `${request.method} ${schemaPath}`;
        this.replies.push({ operation, status: response.status, ...(problem ? { problem } : {}) });
        if (problem) this.failures.push(problem);
        return undefined;
      },
    };
  }
}
