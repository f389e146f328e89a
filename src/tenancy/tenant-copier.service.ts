import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { hasSqlState, SqlState } from '../common/errors/postgres-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import type { TenantLocation } from './catalog-entry.js';
import { DatabaseServers } from './servers/database-servers.service.js';
import { assertToolFits, pgCopy, pgDump, pgRestore } from '../database/pg-tools.js';
import { Organization } from './organization.entity.js';
import type { OnboardingOwner } from './provisioning-support.js';
import { withTenantLock } from './provisioning-support.js';
import { TenancyErrors } from './tenancy.errors.js';
import { TENANCY_OPTIONS, type TenancyOptions } from './tenancy.options.js';
import { TenantCatalog } from './tenant-catalog.service.js';
import { TenantDatabaseBuilder } from './tenant-database.builder.js';
import { tenantIdentity } from './tenant-identity.js';
import { TenantMigrator } from './tenant-migrator.service.js';

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

/** pg_dump's archive options: objects owned by nobody in particular, no grants (the copy gets its own). */
export const DUMP_ARGS = ['--format=custom', '--no-owner', '--no-privileges'];

/** pg_restore's options into a tenant's new, empty database: one transaction, objects made by its owner role. */
export function restoreArgs(tenantId: string): string[] {
  return [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--single-transaction',
    `--role=${tenantIdentity(tenantId).ownerRole}`,
  ];
}

/**
 * Backups, restores and clones of one tenant with Postgres's own tools (docs/scale-out.md). A backup is a
 * `pg_dump` custom archive anyone can `pg_restore`. A restore or a clone is a new organization: a catalog row
 * (`restoring`, which answers 503 TENANT_NOT_READY), its own roles and an empty database, the archive loaded
 * as its owner role, migrated to the latest version, the copy adopted (sessions ended, the new owner its
 * admin), then `active`. A failure removes all of it; a crash leaves `restoring`, which the sweep removes.
 */
@Injectable()
export class TenantCopier {
  private readonly logger = new Logger(TenantCopier.name);
  private readonly hooks: CopyHooks[] = [];

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
    @Inject(TENANCY_OPTIONS) private readonly options: TenancyOptions,
    private readonly builder: TenantDatabaseBuilder,
    private readonly migrator: TenantMigrator,
    private readonly catalog: TenantCatalog,
    private readonly servers: DatabaseServers,
  ) {}

  addHooks(hooks: CopyHooks): void {
    this.hooks.push(hooks);
  }

  /** Writes the tenant's database to `out` (a pg_dump custom archive); resolves its size in bytes. */
  async backup(org: Organization, out: string): Promise<number> {
    const url = await this.builder.adminUrl(org);
    await assertToolFits('pg_dump', url, this.config.tenants.pgBinDir);
    await pgDump(url, [...DUMP_ARGS, `--file=${out}`], this.config.tenants.pgBinDir).done;
    await this.builder.inside(org, async (inside) => {
      for (const hook of this.hooks) await hook.saved(inside, org.id, out);
    });
    return statSync(out).size;
  }

  restore(dumpPath: string, slug: string, name: string, owner: OnboardingOwner): Promise<Organization> {
    statSync(dumpPath); // a missing file fails here, before anything is made
    return this.copyInto({ dumpPath }, slug, name, owner, (url, args) =>
      pgRestore(url, args, this.config.tenants.pgBinDir, createReadStream(dumpPath)),
    );
  }

  clone(from: Organization, slug: string, owner: OnboardingOwner): Promise<Organization> {
    return this.copyInto({ tenantId: from.id }, slug, from.name, owner, async (url, args) => {
      const source = await this.builder.adminUrl(from);
      await pgCopy(source, url, DUMP_ARGS, args, this.config.tenants.pgBinDir);
    });
  }

  private async copyInto(
    source: CopySource,
    slug: string,
    name: string,
    owner: OnboardingOwner,
    /** Loads the archive into the new database at `adminUrl`, with pg_restore's `args`. */
    load: (adminUrl: string, args: string[]) => Promise<void>,
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
        // Objects are created by the owner role (SET ROLE), as a migration would have made them.
        await load(await this.builder.adminUrl(at), restoreArgs(at.id));
        const version = await this.builder.inside(at, async (inside) => {
          const { to } = await this.migrator.migrateOn(inside, { id });
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
