import type { TokenPair } from './types';

/** The operator's session, kept in sessionStorage: gone with the tab, never shared with other tabs. */
export interface Session extends TokenPair {
  email: string;
}

const KEY = 'tenantry.console.session';

export function readSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (
      parsed &&
      typeof parsed === 'object' &&
      typeof (parsed as Session).accessToken === 'string' &&
      typeof (parsed as Session).refreshToken === 'string'
    )
      return parsed as Session;
  } catch {
    // A value this console did not write: no session.
  }
  return null;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
