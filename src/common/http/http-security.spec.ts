import Fastify from 'fastify';
import { loadConfig } from '../../config/config.loader.js';
import { neutraliseFormula } from '../csv/safe-csv.js';
import { requestIdOf, trustProxyOf } from './http-security.js';

const SECRETS = {
  JWT_CORE_SECRET: 'c'.repeat(40),
  JWT_TENANT_SECRET: 't'.repeat(40),
  TENANT_DB_SECRET: 'd'.repeat(40),
};

/** The client IP Fastify sees with the service's trustProxy setting, over real HTTP on loopback. */
async function ipSeen(trustProxy: string | undefined, forwardedFor: string): Promise<string> {
  const config = loadConfig({ ...SECRETS, ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}) });
  const app = Fastify({ trustProxy: trustProxyOf(config), genReqId: requestIdOf });
  app.get('/ip', async (request) => ({ ip: request.ip, id: request.id }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = app.server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/ip`, { headers: { 'x-forwarded-for': forwardedFor } });
    return ((await res.json()) as { ip: string }).ip;
  } finally {
    await app.close();
  }
}

describe('TRUST_PROXY', () => {
  it('believes nobody by default: the client IP is the socket address', async () => {
    expect(await ipSeen(undefined, '203.0.113.9')).toBe('127.0.0.1');
  });

  it('believes X-Forwarded-For from the named proxies, or the nearest hops', async () => {
    expect(await ipSeen('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await ipSeen('10.0.0.0/8', '203.0.113.9')).toBe('127.0.0.1');
    expect(await ipSeen('1', '198.51.100.7, 203.0.113.9')).toBe('203.0.113.9');
  });
});

describe('request ids and CSV cells', () => {
  it('keeps a plain request id and replaces anything else', () => {
    expect(requestIdOf({ headers: { 'x-request-id': 'abc-1.2_3' } })).toBe('abc-1.2_3');
    for (const bad of ['=HYPERLINK("x")', 'a'.repeat(65), 'with space', ''])
      expect(requestIdOf({ headers: { 'x-request-id': bad } })).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('prefixes a cell that would start a formula', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['plain', '{"a":1}', '1-2']) expect(neutraliseFormula(cell)).toBe(cell);
  });
});
