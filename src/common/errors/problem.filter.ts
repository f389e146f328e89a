import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, FastifyError } from 'fastify';
import { Problem, PROBLEM_CONTENT_TYPE, problemType } from './problem.js';
import { AppError } from './app-error.js';
import { CommonError, CommonErrorCode } from './error-code.js';
import { isInfrastructureFailure } from './infrastructure-errors.js';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Fastify's own request errors (body parsing, limits) with the code and wording a client should see. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'The request body exceeds 1 MiB.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'This route does not take a body of this content type (JSON, or multipart for uploads).',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_REQUEST',
    detail: 'Content-Length does not match the body.',
  },
};

function titleOf(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function plainProblem(status: number, code: string, detail?: string): Problem {
  const p: Problem = { type: problemType(code), title: titleOf(status), status, code };
  if (detail) p.detail = detail;
  return p;
}

function fromAppError(error: AppError): { problem: Problem; headers?: Record<string, string> } {
  // Each owner's error class carries its own mapping of its codes (app-error.ts).
  const { status, retryAfterSeconds } = error.http;
  const problem = plainProblem(status, error.code, error.detail);
  if (error.fields?.length) problem.errors = error.fields;
  const wait = error.retryAfterSeconds ?? retryAfterSeconds;
  return { problem, headers: wait === undefined ? undefined : { 'retry-after': String(wait) } };
}

/** Sends an AppError as problem+json from outside Nest's pipeline (a Fastify hook). */
export function sendAppError(reply: FastifyReply, error: AppError): void {
  const { problem, headers } = fromAppError(error);
  void reply
    .status(problem.status)
    .headers(headers ?? {})
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem));
}

/**
 * Fastify's own refusals before any route is found (a malformed URL, a path parameter over its length):
 * the same problem+json as every other error, without echoing the URL.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const problem = plainProblem(status, CODE_BY_STATUS[status] ?? 'BAD_REQUEST', 'The URL is not valid.');
  void reply.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/**
 * Every error reply of the service goes through here and leaves as problem+json. Anything unexpected is a
 * 500 with no internals: the cause is logged, never sent.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { problem, headers } = this.toProblem(exception);
    // Read by the per-tenant figures' recent errors (src/operator/health).
    if (request) (request as FastifyRequest & { problemCode?: string }).problemCode = problem.code;
    if (problem.status === 503 && !(exception instanceof AppError)) {
      this.logger.warn({ err: (exception as Error)?.message, reqId: request?.id }, 'unavailable');
    } else if (problem.status >= 500 && !(exception instanceof AppError)) {
      this.logger.error({ err: exception, reqId: request?.id }, 'unhandled error');
    }
    void reply
      .status(problem.status)
      .headers(headers ?? {})
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): { problem: Problem; headers?: Record<string, string> } {
    if (exception instanceof AppError) return fromAppError(exception);
    // Nest wraps errors of Fastify's request handling (a body parser's among them) with the original as cause.
    const wrapped = exception instanceof HttpException ? exception.cause : undefined;
    if (wrapped instanceof AppError) return fromAppError(wrapped);
    if (isInfrastructureFailure(exception)) {
      return fromAppError(
        new CommonError(
          CommonErrorCode.SERVICE_UNAVAILABLE,
          'The service is busy or its database is unreachable; retry shortly.',
        ),
      );
    }

    const fastifyCode = ((wrapped ?? exception) as { code?: unknown })?.code;
    if (typeof fastifyCode === 'string' && FASTIFY_ERRORS[fastifyCode]) {
      const known = FASTIFY_ERRORS[fastifyCode];
      return { problem: plainProblem(known.status, known.code, known.detail) };
    }
    if (exception instanceof SyntaxError && (exception as { statusCode?: number }).statusCode === 400) {
      return { problem: plainProblem(400, 'MALFORMED_JSON', 'The body is not valid JSON.') };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
      const detail =
        status === 404
          ? `No route for this method and path.` // the URL is the client's text: never echoed
          : status < 500
            ? exception.message
            : undefined;
      return { problem: plainProblem(status, code, detail) };
    }
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { problem: plainProblem(status, CODE_BY_STATUS[status] ?? 'BAD_REQUEST') };
    }
    return { problem: plainProblem(500, 'INTERNAL_ERROR', 'An unexpected error occurred.') };
  }
}
