/**
 * Logout, a password change or reset and a deactivation cut an account's access tokens off: the instant is
 * stored (`tokens_valid_after`) and a token counts only if it was issued at or after it. JWT `iat` is a
 * NumericDate, which RFC 7519 lets carry fractions of a second, so ours carry milliseconds: a new login right
 * after a logout works at once, and a token from just before it stops at once. Both instants come from the
 * service's clock (never the database's), so they compare without skew between the two.
 */
export function issuedAtNow(): number {
  return Date.now() / 1000;
}

/** The cut-off instant to store. */
export function cutOffNow(): Date {
  return new Date();
}

/** Whether a token issued at `iat` (seconds, with fractions) still counts for an account cut off at `validAfter`. */
export function issuedAfter(iat: number, validAfter: Date | null | undefined): boolean {
  return !validAfter || iat * 1000 >= validAfter.getTime();
}
