import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { type CopySource, TenantCopier } from '../../tenancy/index.js';
import { FILE_STORAGE, keySegment, type FileStorage } from './file-storage.js';

/** A backup's files: `<dump>.files/<file id>`, beside the pg_dump archive (which holds their records). */
export const backupFilesDir = (dumpPath: string): string => `${dumpPath}.files`;

/**
 * Files follow their tenant's database through backups, restores and clones (TenantCopier): the bytes of
 * every file record are written beside a backup, and copied into a restored or cloned organization's store.
 * A restore whose backup lacks a file's bytes fails (and so leaves nothing) rather than serve a record
 * without content.
 */
@Injectable()
export class FileCopyHooks implements OnModuleInit {
  constructor(
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly copier: TenantCopier,
  ) {}

  onModuleInit(): void {
    this.copier.addHooks({
      saved: (inside, tenantId, dumpPath) => this.save(inside, tenantId, dumpPath),
      loaded: (inside, tenantId, source) => this.load(inside, tenantId, source),
    });
  }

  private async fileIds(inside: pg.ClientBase): Promise<string[]> {
    const { rows } = await inside.query<{ id: string }>('SELECT id FROM files ORDER BY id');
    return rows.map((r) => r.id);
  }

  private async save(inside: pg.ClientBase, tenantId: string, dumpPath: string): Promise<void> {
    const ids = await this.fileIds(inside);
    if (ids.length === 0) return;
    const dir = backupFilesDir(dumpPath);
    await mkdir(dir, { recursive: true });
    for (const id of ids)
      await pipeline(await this.storage.read(tenantId, id), createWriteStream(join(dir, keySegment(id))));
  }

  private async load(inside: pg.ClientBase, tenantId: string, source: CopySource): Promise<void> {
    for (const id of await this.fileIds(inside)) {
      if ('tenantId' in source) {
        await this.storage.write(tenantId, id, await this.storage.read(source.tenantId, id));
        continue;
      }
      const path = join(backupFilesDir(source.dumpPath), keySegment(id));
      if (!existsSync(path)) throw new Error(`the backup has no bytes for file ${id} (expected ${path})`);
      await this.storage.write(tenantId, id, createReadStream(path));
    }
  }
}
