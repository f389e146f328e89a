import pg from 'pg';
import {
  assertPrivateApiPatches,
  checkPgSaslPatch,
  checkPinnedVersions,
  checkTypeormDriverPatch,
  PINNED_VERSIONS,
} from './private-api-guards.js';

describe('guards of the private-API patches', () => {
  it('pass on the pinned, installed pg and TypeORM', () => {
    expect(() => assertPrivateApiPatches()).not.toThrow();
  });

  it('fail when another version is installed', () => {
    expect(() => checkPinnedVersions({ ...PINNED_VERSIONS, pg: '8.99.0' })).toThrow(/pg 8.99.0 is installed/);
    expect(() => checkPinnedVersions({ ...PINNED_VERSIONS, typeorm: '1.2.0' })).toThrow(/typeorm 1.2.0/);
  });

  it("fail when pg's SASL member is absent or no longer does what the patch replaces", () => {
    const connection = { sendSCRAMClientFinalMessage: () => undefined };
    expect(() => checkPgSaslPatch({}, connection)).toThrow(/_handleAuthSASLContinue is gone/);
    expect(() => checkPgSaslPatch({ _handleAuthSASLContinue: async () => undefined }, connection)).toThrow(
      /no longer uses saslSession/,
    );
    const client = pg.Client.prototype as unknown as Record<string, unknown>;
    expect(() => checkPgSaslPatch(client, {})).toThrow(/sendSCRAMClientFinalMessage is gone/);
  });

  it("fail when TypeORM's driver or query runner members are absent", () => {
    const runner = {
      connect() {
        return (this as { databaseConnection?: unknown }).databaseConnection;
      },
    };
    const driver = {
      obtainMasterConnection: () => undefined,
      disconnect() {
        return (this as { master?: unknown }).master;
      },
    };
    expect(() => checkTypeormDriverPatch(driver, runner)).not.toThrow();
    expect(() => checkTypeormDriverPatch({ ...driver, obtainMasterConnection: undefined }, runner)).toThrow(
      /obtainMasterConnection is gone/,
    );
    expect(() => checkTypeormDriverPatch({ ...driver, disconnect: () => undefined }, runner)).toThrow(
      /`master`/,
    );
    expect(() => checkTypeormDriverPatch(driver, { connect: () => undefined })).toThrow(/databaseConnection/);
  });
});
