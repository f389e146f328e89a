/** How far a token's `iat` may lie ahead of this clock (clock skew between instances). */
export const IAT_LEEWAY_SECONDS = 30;

/**
 * The claim checks of RFC 8725 that a signature check alone does not make, for tokens this service issued:
 * `iat` not in the future (beyond a small leeway), a lifetime (`exp − iat`) no longer than the access-token
 * lifetime, and one `aud` string (an array is refused, whatever it holds).
 */
export function claimsWithinPolicy(
  payload: { iat?: unknown; exp?: unknown; aud?: unknown },
  lifetimeSeconds: number,
  nowMs = Date.now(),
): boolean {
  const { iat, exp, aud } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number' || typeof aud !== 'string') return false;
  if (iat * 1000 > nowMs + IAT_LEEWAY_SECONDS * 1000) return false;
  return exp - iat <= lifetimeSeconds + 1;
}
