/**
 * Logout, a password change or reset and a deactivation cut an account's access tokens off: the instant is
 * stored (`tokens_valid_after`) and a token counts only if it was issued at or after it. `iat` is a whole
 * NumericDate (RFC 7519; strict libraries refuse fractions), so a token also carries `ims`, the same instant
 * in milliseconds: a new login right after a logout works at once, and a token from just before it stops at
 * once. Both instants come from the service's clock (never the database's), so they compare without skew.
 */
export function issueInstant(nowMs = Date.now()): { iat: number; ims: number } {
  return { iat: Math.floor(nowMs / 1000), ims: nowMs };
}

/** When a token was issued, in milliseconds: its `ims` when it agrees with `iat`, else `iat` itself. */
export function issuedAtMs(payload: { iat: number; ims?: unknown }): number {
  const { iat, ims } = payload;
  return typeof ims === 'number' && Math.floor(ims / 1000) === iat ? ims : iat * 1000;
}

/** The cut-off instant to store. */
export function cutOffNow(): Date {
  return new Date();
}

/** Whether a token issued at `issuedMs` still counts for an account cut off at `validAfter`. */
export function issuedAfter(issuedMs: number, validAfter: Date | null | undefined): boolean {
  return !validAfter || issuedMs >= validAfter.getTime();
}
