import { fileStoreSuite } from './support/file-store-suite.js';
import { startS3, type LocalS3 } from './support/s3.js';

/** Issue 13, acceptance 4: the files spec against an S3-compatible server (s3rver) started here. */
let s3: LocalS3;

beforeAll(async () => {
  s3 = await startS3('tenantry-files');
});
afterAll(() => s3?.close());

fileStoreSuite('S3', {
  env: () => ({ S3_URL: s3.url }),
  objects: (tenantId) => s3.keys(`${tenantId}/`),
});
