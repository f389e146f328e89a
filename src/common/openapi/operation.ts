import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiOperation } from '@nestjs/swagger';
import type { ProblemCode } from './problem-codes.js';

/** The operation extension that carries a route's own error codes until the document is finished. */
export const PROBLEM_CODES_EXTENSION = 'x-problem-codes';

/**
 * Names an operation for the OpenAPI document: a stable `operationId` (a generated client's method name), a
 * one-line summary, and the error codes of the route's own work (not found, conflicts, …). The errors every
 * route of its kind can answer (a body that does not parse, a token, the tenant header, an unavailable
 * database) are added when the document is finished (openapi-document.ts), so they are never forgotten.
 */
export function Operation(operationId: string, summary: string, ...codes: ProblemCode[]): MethodDecorator {
  const decorators = [ApiOperation({ operationId, summary })];
  if (codes.length) decorators.push(ApiExtension(PROBLEM_CODES_EXTENSION, codes));
  return applyDecorators(...decorators);
}
