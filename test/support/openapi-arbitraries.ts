import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  allOf?: Schema[];
}

export interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Values that broke the service before (issue 9, finding 8) and their relatives. */
export const hostile = fc.constantFrom<unknown>(
  '',
  ' ',
  '2026-02-30',
  '0000-01-01',
  '2026-13-45T99:99:99Z',
  '1e308',
  -1,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53,
  '9'.repeat(40),
  '-'.repeat(36),
  'null',
  null,
  true,
  [],
  {},
  '\u0000',
  "' OR 1=1 --",
  '../../etc/passwd',
  '=HYPERLINK("x")',
  '🦄'.repeat(40),
  'x'.repeat(5000),
);

/** Cursors of the right encoding with impossible contents. */
export const craftedCursor = fc
  .record({
    t: fc.oneof(fc.constant('2026-13-45 99:99:99+00'), fc.constant('0000-00-00 00:00:00+00'), fc.string()),
    i: fc.oneof(fc.constant('-'.repeat(36)), fc.uuid(), fc.string()),
    r: fc.oneof(fc.constant(1e308), fc.constant(-1e308), fc.double()),
    p: fc.uuid(),
    w: fc.string(),
  })
  .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url'));

/** A value for `schema`, or (sometimes) something hostile instead. */
export function valueOf(schema: Schema | undefined, doc: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: conforming(schema, doc, depth) },
    { weight: 1, arbitrary: hostile },
  );
}

function conforming(schema: Schema | undefined, doc: OpenApiDocument, depth: number): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  if (schema.$ref) return conforming(doc.components.schemas[schema.$ref.split('/').pop()!], doc, depth + 1);
  if (schema.allOf) return conforming(Object.assign({}, ...schema.allOf), doc, depth + 1);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'email') return fc.emailAddress();
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 40, 200),
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e12, max: schema.maximum ?? 1e12, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueOf(schema.items, doc, depth + 1), { maxLength: 4 });
    case 'object':
    default: {
      const props = schema.properties ?? {};
      const shape = Object.fromEntries(
        Object.entries(props).map(([k, s]) => [k, valueOf(s, doc, depth + 1)]),
      );
      return fc.record(shape, { requiredKeys: schema.required?.filter((k) => k in props) ?? [] });
    }
  }
}
