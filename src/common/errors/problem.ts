/** RFC 9457 problem details, as every error reply of the service carries them. */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `type` URIs are stable, dereferenceable-looking names built from the code. */
export function problemType(code: string): string {
  return `https://tenantry.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
