import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/api.js';
import type { ReplyValidator } from './reply-validator.js';

export type Api = Client<paths>;
export type ProblemCode = components['schemas']['Problem']['code'];
type Problem = components['schemas']['Problem'];

/** What the flows need from their runner: where the service is, and the owner's verification mail. */
export interface FlowContext {
  baseUrl: string;
  validator: ReplyValidator;
  /** The token of the verification mail sent to `email` (read from the mail sink by the runner). */
  verificationToken(email: string): Promise<string>;
}

/** A client as one caller: its bearer token and, for tenant routes, the tenant header. */
export function clientFor(ctx: FlowContext, auth: { token?: string; tenant?: string } = {}): Api {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.tenant) headers['x-tenant'] = auth.tenant;
  const api = createClient<paths>({ baseUrl: ctx.baseUrl, headers });
  api.use(ctx.validator.middleware());
  return api;
}

interface Reply<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a reply that must have succeeded with `status`. */
export function ok<T>(reply: Reply<T>, status = 200): NonNullable<T> {
  if (reply.response.status !== status || reply.data === undefined || reply.data === null)
    throw new Error(
      `${reply.response.url}: expected ${status}, got ${reply.response.status} ${JSON.stringify(reply.error)}`,
    );
  return reply.data as NonNullable<T>;
}

/** A reply without a body that must have succeeded with `status` (204, or 202 with nothing to read). */
export function done(reply: { response: Response; error?: unknown }, status = 204): void {
  if (reply.response.status !== status)
    throw new Error(
      `${reply.response.url}: expected ${status}, got ${reply.response.status} ${JSON.stringify(reply.error)}`,
    );
}

/** A failure read as a client would: through the typed `error.code` of the Problem schema. */
export function failed(
  reply: { error?: Problem; response: Response },
  status: number,
  code: ProblemCode,
): Problem {
  const error = reply.error;
  if (reply.response.status !== status || error?.code !== code)
    throw new Error(
      `${reply.response.url}: expected ${status} ${code}, got ${reply.response.status} ${JSON.stringify(error)}`,
    );
  return error;
}

export function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`client flow: ${what}`);
}
