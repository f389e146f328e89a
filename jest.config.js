/** Jest runs in native ESM mode (NestJS 12 packages are ESM-only); see docs/reference/foundation.md. */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @fastify/static (CommonJS) require()s content-disposition 3, which is ESM-only: Node 20.19+ allows that,
    // Jest's loader only from Node 24.9. Inside Jest it gets the API-identical CommonJS 1.x. See docs/reference/foundation.md.
    '^content-disposition$': 'content-disposition-cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  testTimeout: 60000,
};
