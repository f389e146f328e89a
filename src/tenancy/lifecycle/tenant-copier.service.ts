import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { hasSqlState, SqlState } from '../../common/errors/postgres-errors.js';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import type { TenantLocation } from '../catalog/catalog-entry.js';
import { DatabaseServers } from '../servers/database-servers.service.js';
import { Organization } from '../catalog/organization.entity.js';
import type { OnboardingOwner } from './provisioning-support.js';
import { withTenantLock } from './provisioning-support.js';
import { TenancyErrors } from '../options/tenancy.errors.js';
import { TENANCY_OPTIONS, type TenancyOptions } from '../options/tenancy.options.js';
import { TenantCatalog } from '../catalog/tenant-catalog.service.js';
import { TenantDatabaseBuilder } from '../databases/tenant-database.builder.js';
import { tenantIdentity } from '../catalog/tenant-identity.js';
import { TenantDataCopier } from '../copies/data-copier.js';

/** Where a copy's data comes from: a live tenant (clone) or a dump file (restore). */
export type CopySource = { tenantId: string } | { dumpPath: string };

/**
 * What the application keeps of a tenant outside its database (its files) follows the database: `saved`
 * writes it beside a dump, `loaded` brings it into a new copy. Both run as an admin inside the database.
 */
export interface CopyHooks {
  saved(inside: pg.ClientBase, tenantId: string, dumpPath: string): Promise<void>;
  loaded(inside: pg.ClientBase, tenantId: string, source: CopySource): Promise<void>;
}

/**
 * Backups, restores and clones of one tenant, with no Postgres client programs (copies/data-copier.ts;
 * docs/reference/scale-out.md). A backup is an archive of the tenant's rows (copies/backup-archive.ts). A restore or a
 * clone is a new organization: a catalog row (`restoring`, which answers 503 TENANT_NOT_READY), its own roles
 * and an empty database, the source's schema rebuilt by its migrations, its rows loaded, migrated to the
 * latest version, the copy adopted (sessions ended, the new owner its admin), then `active`. Bad input (an
 * unreadable archive, a schema this build cannot rebuild) is refused before anything is made; a failure
 * later removes all of it; a crash leaves `restoring`, which the sweep removes.
 */
@Injectable()
export class TenantCopier {
  private readonly logger = new Logger(TenantCopier.name);
  private readonly hooks: CopyHooks[] = [];

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly builder: TenantDatabaseBuilder,
    private readonly data: TenantDataCopier,
    private readonly catalog: TenantCatalog,
    private readonly servers: DatabaseServers,
  ) {}

  addHooks(hooks: CopyHooks): void {
    this.hooks.push(hooks);
  }

  /**
   * Writes the tenant's data to the archive `out` (its files beside it; its rows at most `bytesPerSecond`, 0:
   * unpaced); resolves its size in bytes.
   */
  async backup(org: Organization, out: string, bytesPerSecond = 0): Promise<number> {
    const filesBefore = existsSync(`${out}.files`);
    await this.data.backup(org, out, bytesPerSecond);
    try {
      await this.builder.inside(org, async (inside) => {
        for (const hook of this.hooks) await hook.saved(inside, org.id, out);
      });
    } catch (err) {
      // What the hooks could not finish (a file missing from the store) leaves no half backup behind.
      rmSync(out, { force: true });
      if (!filesBefore) rmSync(`${out}.files`, { recursive: true, force: true });
      throw err;
    }
    return statSync(out).size;
  }

  async restore(dumpPath: string, slug: string, name: string, owner: OnboardingOwner): Promise<Organization> {
    // Read before anything is made: a missing, foreign or newer archive fails here.
    const { source, reader } = await this.data.openArchive(dumpPath);
    try {
      return await this.copyInto({ dumpPath }, slug, name, owner, async (inside, at) => {
        const loaded = await this.data.load(inside, at, source);
        const expected = await reader.trailer();
        const short = Object.entries(expected).filter(([table, n]) => loaded.rows[table] !== n);
        if (short.length > 0)
          throw new Error(
            `the archive's row counts do not match what it held: ${short.map(([t]) => t).join(', ')}`,
          );
        return loaded.version;
      });
    } finally {
      await reader.close();
    }
  }

  clone(from: Organization, slug: string, owner: OnboardingOwner): Promise<Organization> {
    return this.copyInto({ tenantId: from.id }, slug, from.name, owner, (inside, at) =>
      this.data.fromLive(from, async (source) => (await this.data.load(inside, at, source)).version),
    );
  }

  /**
   * A new organization from a copy of a tenant database at `url` (an admin's URL, e.g. an instance recovered to
   * a point in time); `from` is the tenant it was a copy of (its files are copied from its store).
   */
  copyFromDatabase(
    url: string,
    from: Organization,
    slug: string,
    owner: OnboardingOwner,
  ): Promise<Organization> {
    return this.copyInto({ tenantId: from.id }, slug, from.name, owner, (inside, at) =>
      this.data.fromDatabase(
        url,
        from.id,
        async (source) => (await this.data.load(inside, at, source)).version,
      ),
    );
  }

  private async copyInto(
    source: CopySource,
    slug: string,
    name: string,
    owner: OnboardingOwner,
    /** Loads the data into the new, empty database (an admin session inside it); resolves its version. */
    load: (inside: pg.Client, at: TenantLocation) => Promise<string | null>,
  ): Promise<Organization> {
    const repo = this.core.getRepository(Organization);
    const id = randomUUID();
    let at: TenantLocation;
    try {
      at = await this.core.transaction(async (m) => {
        const server = await this.servers.place(m);
        await m.insert(Organization, {
          id,
          name,
          slug,
          ownerId: owner.id,
          status: 'restoring',
          dbName: tenantIdentity(id).dbName,
          server,
        });
        return { id, server };
      });
    } catch (err) {
      if (hasSqlState(err, SqlState.UNIQUE_VIOLATION)) throw TenancyErrors.slugTaken();
      throw err;
    }
    const org = await withTenantLock(this.serverUrl, id, async () => {
      try {
        await this.builder.build(at, 'template0');
        const version = await this.builder.inside(at, async (inside) => {
          const to = await load(inside, at);
          await this.options.adoptCopy(inside, owner);
          for (const hook of this.hooks) await hook.loaded(inside, id, source);
          return to;
        });
        await repo.update({ id }, { status: 'active', schemaVersion: version });
      } catch (err) {
        this.logger.error({ tenantId: id, slug, err: (err as Error).message }, 'copy failed; removing it');
        // If the removal fails too, the row stays `restoring` and the sweep removes it; the copy's own error
        // is what the caller hears.
        await this.builder
          .drop(at)
          .then(() => repo.delete({ id }))
          .catch((cleanup: Error) =>
            this.logger.error({ tenantId: id, err: cleanup.message }, 'removal failed; left to the sweep'),
          );
        throw err;
      } finally {
        this.catalog.changed(slug);
      }
      return repo.findOneByOrFail({ id });
    });
    this.logger.log({ tenantId: id, slug }, 'organization copied');
    return org!;
  }
}
