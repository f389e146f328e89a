import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * Iterations of the SCRAM-SHA-256 verifiers of tenant roles. Their passwords are 256-bit HMACs, not
 * something a person chose: PBKDF2's iterations slow the guessing of low-entropy passwords and add nothing
 * against a 2^256 search, while every connect pays them in the client (4,096 by default, ~0.7 ms of CPU
 * per tenant connection opened; docs/designs/performance.md). Postgres 16 makes the same trade settable
 * (`scram_iterations`, minimum 1); storing a verifier computed here works on every version.
 */
export const TENANT_SCRAM_ITERATIONS = 16;

/** Passwords SASLprep leaves as they are (printable ASCII): the only ones computed with here. */
export const SASLPREP_SAFE = /^[\x21-\x7e]+$/;

/** The keys SCRAM-SHA-256 derives from a password, a salt and an iteration count (RFC 5802). */
export interface ScramKeys {
  clientKey: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function scramKeys(password: string, salt: Buffer, iterations: number): ScramKeys {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return {
    clientKey,
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', salted).update('Server Key').digest(),
  };
}

const VERIFIER = /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/;

/**
 * The SCRAM-SHA-256 secret Postgres stores for `password` (RFC 5802/7677, the format of pg_authid):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. Given to `CREATE/ALTER ROLE … PASSWORD`,
 * it is stored as is. `password` must need no SASLprep (ASCII without controls).
 */
export function scramVerifier(password: string, iterations: number, salt = randomBytes(16)): string {
  if (!SASLPREP_SAFE.test(password)) throw new Error('a SCRAM verifier is computed for printable ASCII only');
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error('SCRAM iterations must be ≥ 1');
  const { storedKey, serverKey } = scramKeys(password, salt, iterations);
  const b64 = (b: Buffer) => b.toString('base64');
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

/** True for a string in the verifier format (safe to inline in DDL: no quote can occur in it). */
export function isScramVerifier(text: string): boolean {
  return VERIFIER.test(text);
}
