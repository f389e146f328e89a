import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, FileStorage } from './file-storage.js';
import { keySegment } from './file-storage.js';

/** `S3_URL`: `http(s)://<access key>:<secret>@<host>[:port]/<bucket>[?region=…]`, path-style addressing. */
export function parseS3Url(url: string): {
  endpoint: string;
  bucket: string;
  region: string;
  key: string;
  secret: string;
} {
  const u = new URL(url);
  const bucket = u.pathname.replace(/^\/|\/$/g, '');
  if (!bucket || !u.username || !u.password) throw new Error('S3_URL needs credentials and a bucket');
  return {
    endpoint: `${u.protocol}//${u.host}`,
    bucket,
    region: u.searchParams.get('region') ?? 'us-east-1',
    key: decodeURIComponent(u.username),
    secret: decodeURIComponent(u.password),
  };
}

/** A client of the S3-compatible store `S3_URL` names (path-style), and its bucket. */
export function s3ClientOf(url: string): { client: S3Client; bucket: string } {
  const s3 = parseS3Url(url);
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.key, secretAccessKey: s3.secret },
    // S3-compatible stores do not all read the SDK's default aws-chunked bodies with trailing checksums
    // (s3rver stores the framing as content); checksums only where an operation requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { client, bucket: s3.bucket };
}

/**
 * Any S3-compatible store, through the AWS SDK. An upload is spooled to a temporary file first (it is
 * already bounded by FILE_MAX_BYTES and the quota) so that it goes up as one PutObject of known length —
 * constant memory, where the SDK's multipart Upload would buffer parts of 5 MiB. Signed URLs are the SDK's.
 */
export class S3Storage implements FileStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(url: string) {
    ({ client: this.client, bucket: this.bucket } = s3ClientOf(url));
  }

  private key(tenantId: string, fileId: string): string {
    return `${keySegment(tenantId)}/${keySegment(fileId)}`;
  }

  async write(tenantId: string, fileId: string, source: Readable): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'tenantry-upload-'));
    const spool = join(dir, 'part');
    try {
      await pipeline(source, createWriteStream(spool));
      const { size } = await stat(spool);
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(tenantId, fileId),
          Body: createReadStream(spool),
          ContentLength: size,
        }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async read(tenantId: string, fileId: string, range?: ByteRange): Promise<Readable> {
    const out = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: this.key(tenantId, fileId),
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    return out.Body as Readable;
  }

  async remove(tenantId: string, fileId: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(tenantId, fileId) }));
  }

  async removeTenant(tenantId: string): Promise<void> {
    for (;;) {
      const listed = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${keySegment(tenantId)}/`, MaxKeys: 1000 }),
      );
      const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length === 0) return;
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys } }));
    }
  }

  async signedUrl(
    tenantId: string,
    fileId: string,
    file: { name: string; contentType: string; disposition: string },
    ttlSeconds: number,
  ): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: this.key(tenantId, fileId),
        ResponseContentType: file.contentType,
        ResponseContentDisposition: file.disposition,
      }),
      { expiresIn: ttlSeconds },
    );
  }
}
