import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

export interface UploadResult {
  status: number;
  body: any;
  /** sha256 of the file bytes sent. */
  sent: string;
}

/**
 * Sends one multipart part named `file` of `size` pseudo-random bytes (or `data`), streamed in 64 KiB
 * chunks, and resolves with the reply — also when the server answers (413) before the body is done.
 */
export function upload(
  baseUrl: string,
  headers: Record<string, string>,
  file: { name: string; size?: number; data?: Buffer; contentType?: string },
): Promise<UploadResult> {
  const boundary = `----tenantry${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = file.data?.length ?? file.size ?? 0;
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const url = new URL('/api/v1/files', baseUrl);
    const req = http.request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + size + tail.length),
      },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: text ? JSON.parse(text) : undefined,
          sent: hash.digest('hex'),
        }),
      );
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const chunk = randomBytes(64 * 1024);
    let offset = 0;
    const pump = () => {
      while (offset < size && !answered && !req.destroyed) {
        const n = Math.min(chunk.length, size - offset);
        const piece = file.data ? file.data.subarray(offset, offset + n) : chunk.subarray(0, n);
        hash.update(piece);
        offset += n;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (offset >= size && !req.destroyed) req.end(tail);
    };
    req.write(head);
    pump();
  });
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
