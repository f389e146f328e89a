import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { freePort } from '../../src/common/net/free-port.js';

/** A local S3-compatible server (s3rver) with one bucket, and a plain client to look into it. */
export interface LocalS3 {
  /** `S3_URL` for the service. */
  url: string;
  /** The keys under `prefix`. */
  keys(prefix: string): Promise<string[]>;
  get(key: string): Promise<Buffer>;
  put(key: string, body: Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(bucket: string): Promise<LocalS3> {
  const port = await freePort();
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: mkdtempSync(join(tmpdir(), 's3rver-')),
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  await server.run();
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    url: `http://S3RVER:S3RVER@127.0.0.1:${port}/${bucket}`,
    keys: async (prefix) => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (listed.Contents ?? []).map((o) => o.Key!).sort();
    },
    get: async (key) => {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    put: async (key, body) =>
      void (await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))),
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}
