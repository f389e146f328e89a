import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { PRIMARY_SERVER } from '../servers/database-server.entity.js';
import { ArchiveError } from './backup-archive.js';
import { TenantDataCopier } from './data-copier.js';
import { checksumOf } from './row-checksum.js';
import { COPY_SETTINGS, copyOut } from './table-data.js';

export interface VerifiedBackup {
  tables: number;
  rows: number;
  ms: number;
}

/**
 * Proves a backup restores: its archive is loaded into a scratch database of its own (a random id, its own
 * roles, on the primary server, never in the catalog), and each table's rows are counted and checksummed
 * (row-checksum.ts) as the archive's columns and compared with what the archive recorded when it was
 * written. The scratch database is dropped whatever happens. A corrupt, cut or altered archive, or one whose
 * data does not come back as it went in, throws (ArchiveError or Error) with the table at fault.
 */
@Injectable()
export class BackupVerifier {
  private readonly logger = new Logger(BackupVerifier.name);

  constructor(
    private readonly data: TenantDataCopier,
    private readonly builder: TenantDatabaseBuilder,
  ) {}

  /** `bytesPerSecond`: the archive's rows are loaded at most that fast (0: unpaced). */
  async verify(path: string, bytesPerSecond = 0): Promise<VerifiedBackup> {
    const started = Date.now();
    const { source, reader, manifest } = await this.data.openArchive(path, bytesPerSecond);
    const scratch: TenantLocation = { id: randomUUID(), server: PRIMARY_SERVER };
    try {
      await this.builder.build(scratch, 'template0');
      return await this.builder.inside(scratch, async (inside) => {
        let total = 0;
        // At the archive's own schema version (before this build's later migrations), so its columns match.
        await this.data.load(inside, scratch, source, async (loaded) => {
          const { rows, checksums } = await reader.fullTrailer();
          if (!checksums)
            throw new ArchiveError('the archive carries no checksums (written by an older build)');
          const short = Object.entries(rows).filter(([table, n]) => loaded[table] !== n);
          if (short.length > 0)
            throw new ArchiveError(`rows do not match the archive in ${short.map(([t]) => t).join(', ')}`);
          await inside.query(`${COPY_SETTINGS}; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
          try {
            const { rows: present } = await inside.query<{ name: string }>(
              `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
            );
            const listed = new Set(manifest.tables.map((t) => t.name));
            const unlisted = present.map((t) => t.name).filter((name) => !listed.has(name));
            if (unlisted.length > 0)
              throw new ArchiveError(`the archive leaves out ${unlisted.join(', ')}, which its schema has`);
            for (const table of manifest.tables) {
              const got = await checksumOf(copyOut(inside, table));
              total += got.rows;
              if (got.rows !== rows[table.name] || got.checksum !== checksums[table.name])
                throw new ArchiveError(`${table.name} does not come back as it was backed up`);
            }
          } finally {
            await inside.query('ROLLBACK').catch(() => undefined);
          }
        });
        return { tables: manifest.tables.length, rows: total, ms: Date.now() - started };
      });
    } finally {
      await reader.close().catch(() => undefined);
      await this.builder
        .drop(scratch)
        .catch((err: Error) =>
          this.logger.error(
            { scratch: scratch.id, err: err.message },
            'scratch database of a verification not dropped',
          ),
        );
    }
  }
}
