import type { Readable } from 'node:stream';

/** A byte range of a stored file, both ends inclusive (HTTP semantics). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where a tenant's file bytes live: local disk under `DATA_DIR/files/<tenant id>/` by default, or any
 * S3-compatible store with `S3_URL`. Keys derive from the tenant and file ids only (never a client's name).
 */
export interface FileStorage {
  /** Streams `source` to the store; on any failure nothing of it is left behind. */
  write(tenantId: string, fileId: string, source: Readable, size?: number): Promise<void>;
  read(tenantId: string, fileId: string, range?: ByteRange): Promise<Readable>;
  remove(tenantId: string, fileId: string): Promise<void>;
  removeTenant(tenantId: string): Promise<void>;
  /** The store's own signed URL (S3), or null: the service signs its own (`/signed-files/…`). */
  signedUrl(
    tenantId: string,
    fileId: string,
    file: { name: string; contentType: string; disposition: string },
    ttlSeconds: number,
  ): Promise<string | null>;
}

export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** A tenant id as a path or key segment: a UUID, checked (the ids come from the catalog, never a client). */
export function keySegment(id: string): string {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('storage keys derive from UUIDs only');
  return id;
}
