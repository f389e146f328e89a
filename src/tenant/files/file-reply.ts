import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { dispositionOf } from './content-type.js';
import { FileErrors } from './file.errors.js';
import type { ByteRange } from './file-storage.js';
import type { StoredFile } from './stored-file.entity.js';

const BYTES = { '*/*': { schema: { type: 'string', format: 'binary' } } } as const;

/** The replies of a route that answers with a stored file's bytes (sendFile), in the file's own type. */
export const ApiFileBytes = () =>
  applyDecorators(
    ApiResponse({ status: 200, description: "The file's bytes, in its own content type", content: BYTES }),
    ApiResponse({ status: 206, description: 'The byte range the Range header asked for', content: BYTES }),
    ApiResponse({ status: 304, description: 'Unchanged since the ETag in If-None-Match' }),
    ApiHeader({ name: 'Range', required: false, description: 'One byte range: `bytes=<start>-<end>`' }),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy the client holds' }),
  );

/** The single byte range a `Range` header asks for; undefined for none or for a form we do not serve. */
export function requestedRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // several ranges or garbage: the whole file
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw FileErrors.badRange(size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) throw FileErrors.badRange(size);
  return { start, end };
}

/**
 * Sends a file's bytes with what a download needs: its sniffed type, `nosniff`, inline only for raster
 * images, the sha256 as a strong ETag (304 on a match), and one byte range (206) when asked.
 */
export async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: StoredFile,
  open: (range?: ByteRange) => Promise<Readable>,
): Promise<void> {
  const size = Number(file.size);
  const etag = `"${file.sha256}"`;
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', dispositionOf(file.name, file.contentType))
    .header('x-content-type-options', 'nosniff')
    .header('etag', etag)
    .header('accept-ranges', 'bytes')
    .header('cache-control', 'private, no-cache');
  if (request.headers['if-none-match'] === etag) {
    await reply.code(304).send();
    return;
  }
  const range = requestedRange(request.headers.range, size);
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', range.end - range.start + 1);
  } else reply.header('content-length', size);
  await reply.send(await open(range));
}
