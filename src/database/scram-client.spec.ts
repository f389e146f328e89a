import { scramClientFinal } from './scram-client.js';

describe('scramClientFinal', () => {
  // RFC 7677, section 3: the SCRAM-SHA-256 example exchange.
  const rfc = {
    user: 'user',
    clientNonce: 'rOprNGfwEbeRWgbNEkqO',
    channelBinding: 'biws',
    serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    password: 'pencil',
    maxIterations: 100_000,
  };

  it('computes the RFC 7677 example: the client proof and the server signature', () => {
    const first = scramClientFinal(rfc);
    expect(first.response).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(first.serverSignature).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    // From the cached keys, the same.
    expect(scramClientFinal(rfc)).toEqual(first);
  });

  it('does not answer a server whose nonce does not extend the client nonce, or that asks too much', () => {
    expect(() => scramClientFinal({ ...rfc, serverFirst: rfc.serverFirst.replace('rOpr', 'xOpr') })).toThrow(
      /nonce/,
    );
    expect(() =>
      scramClientFinal({ ...rfc, serverFirst: 'r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096' }),
    ).toThrow(/nonce/);
    expect(() => scramClientFinal({ ...rfc, maxIterations: 1000 })).toThrow(/exceeds/);
    expect(() => scramClientFinal({ ...rfc, serverFirst: rfc.serverFirst.replace('i=4096', 'i=0') })).toThrow(
      /iterations/,
    );
  });

  it('derives different proofs for a different password', () => {
    expect(scramClientFinal({ ...rfc, password: 'pencil2' }).response).not.toBe(
      scramClientFinal(rfc).response,
    );
  });
});
