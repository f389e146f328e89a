import { HttpException } from '@nestjs/common';
import { FieldError, Problem, problemType } from './problem.js';

/**
 * The one exception type features throw for an expected failure: a status, a stable UPPER_SNAKE code and a
 * safe human detail. Feature folders define their codes in an enum and small factories around this class.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title, status);
  }

  toProblem(): Problem {
    const problem: Problem = {
      type: problemType(this.code),
      title: this.title,
      status: this.getStatus(),
      code: this.code,
    };
    if (this.detail) problem.detail = this.detail;
    if (this.errors?.length) problem.errors = this.errors;
    return problem;
  }
}

export const badRequest = (code: string, detail?: string) =>
  new ProblemException(400, code, 'Bad Request', detail);
export const unauthorized = (code: string, detail?: string) =>
  new ProblemException(401, code, 'Unauthorized', detail);
export const forbidden = (code: string, detail?: string) =>
  new ProblemException(403, code, 'Forbidden', detail);
export const notFound = (code: string, detail?: string) =>
  new ProblemException(404, code, 'Not Found', detail);
export const conflict = (code: string, detail?: string) =>
  new ProblemException(409, code, 'Conflict', detail);
