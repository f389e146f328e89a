import { fileStoreSuite, localObjects } from './support/file-store-suite.js';

fileStoreSuite('local disk', { env: () => ({}), objects: localObjects });
