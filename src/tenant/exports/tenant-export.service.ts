import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { once } from 'node:events';
import { PassThrough, Transform, type Readable } from 'node:stream';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { ZipFile } from 'yazl';
import { quoteIdentifier } from '../../database/postgres-identifiers.js';
import type { TenantJobData } from '../../jobs/job-definitions.js';
import { JobRegistry } from '../../jobs/job-registry.js';
import { type CatalogEntry, TenantConnectionRegistry } from '../../tenancy/index.js';
import { FILE_STORAGE, type FileStorage } from '../files/file-storage.js';
import { guardedPipe } from '../../common/streams/guarded-pipe.js';

/** Tables that are the engine's bookkeeping or hold live secrets: not the organization's data. */
const LEFT_OUT_TABLES = new Set(['migrations', 'refresh_tokens']);
/** Columns no export carries (a password hash is a secret even of one's own users). */
const LEFT_OUT_COLUMNS = ['password_hash'];

/** A file's name as a zip entry's last segment: no separators, never `.` or `..` (which zip tools resolve). */
export function entryName(name: string): string {
  const flat = name.replace(/[/\\]/g, '_');
  return flat === '' || flat === '.' || flat === '..' ? 'file' : flat;
}

export interface ExportOutput {
  exportId: string;
  bytes: number;
  tables: Record<string, number>;
  files: number;
}

/**
 * The owner's export of an organization (data portability): one zip archive with `<table>.jsonl` for every
 * table of the tenant database (one JSON object per row, as `to_jsonb` gives it) and `files/<id>/<name>`
 * for every file's bytes. Rows come through a server-side cursor (pg-query-stream) and each entry is streamed
 * into the archive, which streams into the file store, so memory stays constant whatever the size
 * (`test/tenant-export.e2e-spec.ts`). Runs as the `export` job's tenant part; the archive is stored as an
 * object of the tenant's file store (removed with the tenant) and reached through a signed link.
 */
@Injectable()
export class TenantExport implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly connections: TenantConnectionRegistry,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  onModuleInit(): void {
    this.registry.define('export', { tenant: (tenant, data) => this.run(tenant, data) });
  }

  /** The archive of an export, as a stream (its link was checked by the caller). */
  read(tenantId: string, exportId: string): Promise<Readable> {
    return this.storage.read(tenantId, exportId);
  }

  /**
   * Builds the archive. Every failure path settles: a failed store write fails the entry being written (which
   * ends the cursor and frees the connection), and a failed entry stops the archive and the store's write,
   * whose partial object is removed; the job then fails and pg-boss retries it with a fresh write.
   */
  private async run(tenant: CatalogEntry, data: TenantJobData): Promise<ExportOutput> {
    const exportId = String(data.exportId);
    const zip = new ZipFile();
    let bytes = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const output = zip.outputStream as unknown as Readable;
    let current: PassThrough | undefined;
    let storeFailed: Error | undefined;
    const stored = this.storage.write(tenant.id, exportId, guardedPipe(output, counted));
    stored.catch((err: Error) => {
      storeFailed = err;
      current?.destroy(err);
    });
    /** One entry, filled by `fill`; resolves once the archive has taken all of it (one entry read at a time). */
    const entry = async (name: string, fill: (out: PassThrough) => Promise<number>): Promise<number> => {
      if (storeFailed) throw storeFailed;
      current = new PassThrough();
      const ended = once(current, 'end');
      ended.catch(() => undefined); // awaited below; rejected only with the entry's own error
      zip.addReadStream(current, name);
      const count = await fill(current);
      await ended;
      return count;
    };
    try {
      const { tables, files } = await this.connections.withConnection(tenant, async (_m, client) => {
        const tables: Record<string, number> = {};
        for (const table of await this.tables(client))
          tables[table] = await entry(`${table}.jsonl`, (out) => this.rows(client, table, out));
        const { rows } = await client.query<{ id: string; name: string }>(
          'SELECT id, name FROM files ORDER BY id',
        );
        for (const file of rows)
          await entry(`files/${file.id}/${entryName(file.name)}`, async (out) => {
            guardedPipe(await this.storage.read(tenant.id, file.id), out);
            return 1;
          });
        return { tables, files: rows.length };
      });
      zip.end();
      await stored;
      return { exportId, bytes, tables, files };
    } catch (err) {
      current?.destroy(err as Error);
      counted.destroy(err as Error);
      await stored.catch(() => undefined);
      throw err;
    }
  }

  private async tables(client: pg.Client): Promise<string[]> {
    const { rows } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    return rows.map((r) => r.name).filter((name) => !LEFT_OUT_TABLES.has(name));
  }

  /** Every row of `table` as one JSON line, through a cursor; resolves the number of rows. */
  private async rows(client: pg.Client, table: string, out: PassThrough): Promise<number> {
    const columns = LEFT_OUT_COLUMNS.map((c) => ` - '${c}'`).join('');
    const rows = client.query(
      new QueryStream(`SELECT to_jsonb(t)${columns} AS row FROM ${quoteIdentifier(table)} t`),
    );
    let count = 0;
    for await (const { row } of rows as AsyncIterable<{ row: unknown }>) {
      count++;
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
    }
    out.end();
    return count;
  }
}
