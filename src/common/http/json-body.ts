import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { CommonError, CommonErrorCode } from '../errors/error-code.js';
import { isAuthRoute } from './auth-routes.js';

/** Limits of docs/reference/api.md: decided on the raw text, before parsing or validation runs. */
export const JSON_MAX_DEPTH = 32;
export const JSON_MAX_VALUES = 10_000;
/** Routes that need small bodies (sign-in, tokens: the `/auth/` routes) get a smaller limit than the global 1 MiB. */
export const SMALL_BODY_BYTES = 16 * 1024;

/**
 * A body the parser refuses: an error of the bottom layer's own codes (its `statusCode` is what Fastify reads
 * of an error thrown by a content-type parser; the problem filter answers it like any AppError).
 */
export class JsonBodyError extends CommonError {
  readonly statusCode: number;
  constructor(code: CommonErrorCode.MALFORMED_JSON | CommonErrorCode.PAYLOAD_TOO_LARGE, detail: string) {
    super(code, detail);
    this.statusCode = this.http.status;
  }
}

/**
 * One linear pass over the text: the deepest nesting and the number of values (containers and the items
 * they separate). Strings are skipped, escapes included. It stops as soon as a limit is passed, so a
 * maximally nested or enormous body costs microseconds, never the recursion of a parser or a validator.
 */
export function jsonComplexity(text: string): { tooDeep: boolean; tooMany: boolean; nul?: boolean } {
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // `\u0000`: Postgres text cannot hold NUL, so no string the service stores may carry one.
      if (c === 92 /* \ */ && text.startsWith('u0000', i + 1))
        return { tooDeep: false, tooMany: false, nul: true };
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > JSON_MAX_DEPTH) return { tooDeep: true, tooMany: false };
      if (++values > JSON_MAX_VALUES) return { tooDeep: false, tooMany: true };
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
    else if (c === 44 /* , */ && ++values > JSON_MAX_VALUES) return { tooDeep: false, tooMany: true };
  }
  return { tooDeep: false, tooMany: false };
}

/** Parses a JSON body within the limits, with prototype-poisoning protection (secure-json-parse). */
export function parseJsonBody(request: Pick<FastifyRequest, 'routeOptions'>, text: string): unknown {
  if (isAuthRoute(request) && Buffer.byteLength(text) > SMALL_BODY_BYTES)
    throw new JsonBodyError(
      CommonErrorCode.PAYLOAD_TOO_LARGE,
      `The request body is too large for this route (${SMALL_BODY_BYTES / 1024} KiB).`,
    );
  // A body-less POST sent with `Content-Type: application/json` (as most HTTP clients send submit, approve…)
  // is a request without a body; a route that needs one refuses it in validation.
  if (text.length === 0) return undefined;
  const { tooDeep, tooMany, nul } = jsonComplexity(text);
  if (nul)
    throw new JsonBodyError(
      CommonErrorCode.MALFORMED_JSON,
      'Strings may not contain the NUL character (\\u0000).',
    );
  if (tooDeep || tooMany)
    throw new JsonBodyError(
      CommonErrorCode.MALFORMED_JSON,
      `The JSON body is nested deeper than ${JSON_MAX_DEPTH} levels or holds more than ${JSON_MAX_VALUES} values.`,
    );
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw new JsonBodyError(CommonErrorCode.MALFORMED_JSON, 'The body is not valid JSON.');
  }
}

/** Replaces Fastify's JSON parser with the bounded one above. */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parseJsonBody(request, body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
