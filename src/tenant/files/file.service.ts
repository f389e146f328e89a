import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { lockForTransaction, LockClass } from '../../database/advisory-lock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TenantConnectionManager, TenantRemover, TenantScope } from '../../tenancy/index.js';
import type { Actor } from '../audit/actor.js';
import { audit } from '../audit/audit.writer.js';
import { TenantSettings } from '../settings/tenant-settings.js';
import { cleanFileName, sniffContentType } from './content-type.js';
import { FileErrors, isMultipartError } from './file.errors.js';
import { FILE_STORAGE, type ByteRange, type FileStorage } from './file-storage.js';
import { StoredFile } from './stored-file.entity.js';
import { UploadLimitError, UploadMeter } from './upload-meter.js';
import { guardedPipe } from '../../common/streams/guarded-pipe.js';

/** Tables whose rows carry `attachment_ids`. */
export type AttachingTable = 'products' | 'items' | 'purchase_requests';

/**
 * A tenant's files: uploads streamed through a meter (size limit, storage quota, sha256, sniffing) into the
 * store, metadata in the tenant database, bytes served as streams. A refused or failed upload leaves
 * nothing: the store drops its partial object, and the row is written only after the bytes are safe.
 */
@Injectable()
export class FileService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly tenant: TenantConnectionManager,
    private readonly scope: TenantScope,
    private readonly settings: TenantSettings,
    private readonly remover: TenantRemover,
  ) {}

  get urlTtlSeconds(): number {
    return this.config.files.urlTtlSeconds;
  }

  onModuleInit(): void {
    this.remover.addCleanup((tenantId) => this.storage.removeTenant(tenantId));
  }

  private tenantId(): string {
    const tenant = this.scope.current();
    if (!tenant) throw new Error('files used outside a tenant scope');
    return tenant.id;
  }

  async upload(actor: Actor, request: FastifyRequest): Promise<StoredFile> {
    const maxBytes = this.config.files.maxBytes;
    const limit = this.settings.current().limits.maxStorageBytes;
    const remaining = limit === null ? null : Math.max(0, limit - (await this.storedBytes()));
    const part = request.isMultipart()
      ? await request
          .file({ limits: { fileSize: maxBytes + 1, files: 1, fields: 0, parts: 1 } })
          .catch((err: unknown) => {
            throw isMultipartError(err) ? FileErrors.malformed() : err;
          })
      : undefined;
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      throw FileErrors.noFile();
    }
    const tenantId = this.tenantId();
    const id = randomUUID();
    const meter = new UploadMeter(maxBytes, remaining);
    try {
      await this.storage.write(tenantId, id, guardedPipe(part.file, meter));
    } catch (err) {
      part.file.resume(); // let the rest of the body drain: the reply below is read by the client
      if (err instanceof UploadLimitError)
        throw err.limit === 'file' ? FileErrors.tooLarge(maxBytes) : FileErrors.quota(limit!);
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw FileErrors.tooLarge(maxBytes);
      // The client went away mid-upload: its fault, not the service's (no 503 in the figures, no alert).
      if (request.raw.aborted || request.raw.destroyed) throw FileErrors.malformed();
      throw isMultipartError(err) ? FileErrors.malformed() : err;
    }
    try {
      const contentType = await sniffContentType(meter.head);
      return await this.tenant.transaction(async (m) => {
        if (limit !== null) await this.withinQuota(m, meter.bytes, limit);
        const repo = m.getRepository(StoredFile);
        const file = await repo.save(
          repo.create({
            id,
            name: cleanFileName(part.filename),
            size: String(meter.bytes),
            contentType,
            sha256: meter.sha256,
            uploaderId: actor.user.id,
          }),
        );
        await audit(m, actor, 'create', 'file', file.id, null, file);
        return file;
      });
    } catch (err) {
      await this.storage.remove(tenantId, id).catch(() => undefined);
      throw err;
    }
  }

  /** Exact under concurrency: the total is re-counted under the tenant's storage lock before the insert. */
  private async withinQuota(m: EntityManager, adding: number, limit: number): Promise<void> {
    await lockForTransaction(m, { lockClass: LockClass.tenantQuota, id: 'maxStorageBytes' });
    const [{ bytes }] = (await m.query('SELECT coalesce(sum(size), 0)::text AS bytes FROM files')) as {
      bytes: string;
    }[];
    if (Number(bytes) + adding > limit) throw FileErrors.quota(limit);
  }

  async storedBytes(): Promise<number> {
    const [{ bytes }]: { bytes: string }[] = await this.tenant.run((m) =>
      m.query('SELECT coalesce(sum(size), 0)::text AS bytes FROM files'),
    );
    return Number(bytes);
  }

  async get(id: string): Promise<StoredFile> {
    const file = await this.tenant.run((m) => m.getRepository(StoredFile).findOneBy({ id }));
    if (!file) throw FileErrors.notFound();
    return file;
  }

  /** The bytes of a file of the current tenant (or `tenantId`'s, for a signed link). */
  content(file: StoredFile, range?: ByteRange, tenantId = this.tenantId()): Promise<Readable> {
    return this.storage.read(tenantId, file.id, range);
  }

  /** The store's own signed URL, or null when the service signs its own. */
  storeUrl(file: StoredFile, disposition: string): Promise<string | null> {
    return this.storage.signedUrl(
      this.tenantId(),
      file.id,
      { name: file.name, contentType: file.contentType, disposition },
      this.config.files.urlTtlSeconds,
    );
  }

  /** Deletes a file (admin, manager or its uploader) and detaches it everywhere; the bytes go after commit. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.tenant.transaction(async (m) => {
      const file = await m
        .getRepository(StoredFile)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!file) throw FileErrors.notFound();
      if (actor.user.role === 'staff' && file.uploaderId !== actor.user.id) throw FileErrors.notYours();
      if (actor.user.role === 'auditor') throw FileErrors.notYours();
      for (const table of ['products', 'items', 'purchase_requests'] satisfies AttachingTable[])
        await m.query(
          `UPDATE ${table} SET attachment_ids = array_remove(attachment_ids, $1::uuid) WHERE $1::uuid = ANY(attachment_ids)`,
          [id],
        );
      await m.getRepository(StoredFile).delete({ id });
      await audit(m, actor, 'delete', 'file', id, file, null);
    });
    await this.storage.remove(this.tenantId(), id).catch(() => undefined);
  }

  /** On the caller's transaction: every id names a file of this tenant (404 FILE_NOT_FOUND otherwise). */
  async mustExist(m: EntityManager, ids: string[] | undefined): Promise<void> {
    const unique = [...new Set(ids ?? [])];
    if (unique.length === 0) return;
    const [{ n }] = (await m.query('SELECT count(*)::int AS n FROM files WHERE id = ANY($1::uuid[])', [
      unique,
    ])) as { n: number }[];
    if (n !== unique.length) throw FileErrors.notFound();
  }
}
