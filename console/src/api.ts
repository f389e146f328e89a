import { clearSession, readSession, saveSession } from './session';
import type { Problem, TokenPair } from './types';

const BASE = '/api/v1/operator';

/** A refused request, from its problem+json reply (or a network failure: status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let sessionEnded: (reason: string) => void = () => undefined;

/** Called when the session is gone for good (refresh refused): the console goes back to its login page. */
export function onSessionEnded(handler: (reason: string) => void): void {
  sessionEnded = handler;
}

async function send(method: string, path: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(`${BASE}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The service did not answer.');
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    problem = (await res.json()) as Problem;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const message = problem.detail ?? problem.message ?? problem.title ?? (res.statusText || 'Request failed');
  return new ApiError(res.status, problem.code ?? `HTTP_${res.status}`, message, problem.errors ?? []);
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new pair, once for every request that met the same 401. */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = readSession();
    if (!session) return false;
    const res = await send('POST', '/auth/refresh', { refreshToken: session.refreshToken });
    if (!res.ok) return false;
    const pair = (await res.json()) as TokenPair;
    saveSession({ ...session, accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return true;
  })()
    .catch(() => false)
    .finally(() => (refreshing = null));
  return refreshing;
}

/** One call of the operator API with the session's token; a 401 refreshes the session once and retries. */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = readSession()?.accessToken;
  let res = await send(method, path, body, token);
  if (res.status === 401 && token) {
    if (await refresh()) res = await send(method, path, body, readSession()?.accessToken);
    if (res.status === 401) {
      clearSession();
      sessionEnded('Your session has ended: sign in again.');
    }
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Signs in; `newPassword` replaces the one-time password of `operators:create` at the first login. */
export async function login(email: string, password: string, newPassword?: string): Promise<void> {
  const res = await send('POST', '/auth/login', { email, password, ...(newPassword ? { newPassword } : {}) });
  if (!res.ok) throw await errorOf(res);
  const pair = (await res.json()) as TokenPair;
  saveSession({ email, accessToken: pair.accessToken, refreshToken: pair.refreshToken });
}

/** Ends the session on the server (every token issued so far) and here, whatever the server answers. */
export async function logout(): Promise<void> {
  const session = readSession();
  if (!session) return;
  try {
    let res = await send('POST', '/auth/logout', { refreshToken: session.refreshToken }, session.accessToken);
    // An access token that expired meanwhile: refreshed once, so the logout still reaches the server.
    if (res.status === 401 && (await refresh())) {
      const now = readSession();
      if (now) res = await send('POST', '/auth/logout', { refreshToken: now.refreshToken }, now.accessToken);
    }
  } catch {
    // Offline: the session ends here at least.
  } finally {
    clearSession();
  }
}

export const query = (params: Record<string, string | number | null | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};
