import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { freePort } from '../src/common/net/free-port.js';
import { fileStoreSuite } from './support/file-store-suite.js';

/** Issue 13, acceptance 4: the files spec against an S3-compatible server (s3rver) started here. */
let server: S3rver;
let port: number;
const BUCKET = 'tenantry-files';

beforeAll(async () => {
  port = await freePort();
  server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: mkdtempSync(join(tmpdir(), 's3rver-')),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  await server.run();
});
afterAll(() => server?.close());

fileStoreSuite('S3', {
  env: () => ({ S3_URL: `http://S3RVER:S3RVER@127.0.0.1:${port}/${BUCKET}` }),
  objects: async (tenantId) => {
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${tenantId}/` }));
    client.destroy();
    return (listed.Contents ?? []).map((o) => o.Key!);
  },
});
