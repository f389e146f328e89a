import { createHmac } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import { SASLPREP_SAFE, scramKeys, type ScramKeys } from './scram-verifier.js';

/** Passwords × salts whose keys stay derived (tenant roles and the admin role; bounded). */
const keys = new LRUCache<string, ScramKeys>({ max: 20_000 });

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

function saltedKeys(password: string, salt: string, iterations: number): ScramKeys {
  const id = `${iterations}:${salt}:${password}`;
  let found = keys.get(id);
  if (!found) {
    found = scramKeys(password, Buffer.from(salt, 'base64'), iterations);
    keys.set(id, found);
  }
  return found;
}

export interface ScramExchange {
  /** The username of client-first-message-bare (`*` from pg: Postgres takes the startup message's). */
  user: string;
  clientNonce: string;
  /** base64 of the GS2 header: `biws` ("n,,") or `eSws` ("y,,"). */
  channelBinding: string;
  serverFirst: string;
  password: string;
  maxIterations: number;
}

/**
 * The client-final-message and the server signature to expect (RFC 5802, SCRAM-SHA-256 of RFC 7677),
 * with the salted password's keys derived once per password, salt and iteration count.
 */
export function scramClientFinal(x: ScramExchange): { response: string; serverSignature: string } {
  const attrs = new Map(x.serverFirst.split(',').map((p) => [p[0], p.slice(2)] as const));
  const nonce = attrs.get('r') ?? '';
  const salt = attrs.get('s') ?? '';
  const iterationText = attrs.get('i') ?? '';
  if (!nonce.startsWith(x.clientNonce) || nonce.length === x.clientNonce.length)
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: bad server nonce');
  if (!/^[A-Za-z0-9+/]+=*$/.test(salt)) throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: bad salt');
  if (!/^[1-9][0-9]*$/.test(iterationText))
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: bad iterations');
  const iterations = Number(iterationText);
  if (x.maxIterations !== 0 && iterations > x.maxIterations)
    throw new Error(`SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration count ${iterations} exceeds the maximum`);
  const withoutProof = `c=${x.channelBinding},r=${nonce}`;
  const authMessage = `n=${x.user},r=${x.clientNonce},${x.serverFirst},${withoutProof}`;
  const k = saltedKeys(x.password, salt, iterations);
  const signature = hmac(k.storedKey, authMessage);
  const proof = Buffer.alloc(signature.length);
  for (let i = 0; i < proof.length; i++) proof[i] = k.clientKey[i] ^ signature[i];
  return {
    response: `${withoutProof},p=${proof.toString('base64')}`,
    serverSignature: hmac(k.serverKey, authMessage).toString('base64'),
  };
}

/** pg.Client's SASL state and connection internals this subclass completes the exchange with. */
interface SaslInternals {
  saslSession: { mechanism: string; clientNonce: string; scramMaxIterations?: number } & Record<
    string,
    unknown
  >;
  password: unknown;
  enableChannelBinding?: boolean;
  connection: {
    stream: unknown;
    sendSCRAMClientFinalMessage(r: string): void;
    emit(e: string, err: unknown): void;
  };
}

/**
 * A pg.Client whose SCRAM-SHA-256 step runs on node:crypto's synchronous primitives with the salted
 * password's keys cached, instead of pg's eleven awaited WebCrypto calls and a PBKDF2 per connect: under
 * zipf traffic over 300 tenants (a connect per cold request) those were 18 % of the service's CPU
 * (docs/designs/performance.md). pg still checks the server's signature (its finalizeSession). Channel binding
 * (SCRAM-SHA-256-PLUS over TLS) and passwords that SASLprep could change go to pg's own implementation.
 */
export class ScramCachingClient extends pg.Client {
  async _handleAuthSASLContinue(msg: { data: string }): Promise<void> {
    const self = this as unknown as SaslInternals;
    const session = self.saslSession;
    const password = self.password;
    if (
      session?.mechanism !== 'SCRAM-SHA-256' ||
      typeof password !== 'string' ||
      !SASLPREP_SAFE.test(password)
    )
      return (pg.Client.prototype as unknown as this)._handleAuthSASLContinue.call(this, msg);
    try {
      const bound = self.enableChannelBinding && self.connection.stream;
      const { response, serverSignature } = scramClientFinal({
        user: '*',
        clientNonce: session.clientNonce,
        channelBinding: bound ? 'eSws' : 'biws',
        serverFirst: msg.data,
        password,
        maxIterations: session.scramMaxIterations ?? 100_000,
      });
      Object.assign(session, { message: 'SASLResponse', serverSignature, response });
      self.connection.sendSCRAMClientFinalMessage(response);
    } catch (err) {
      self.connection.emit('error', err);
    }
  }
}
