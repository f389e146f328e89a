import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { OwnerRepository } from '../core/owners/owner.repository.js';
import { isValidSlug, Organization, TenantCopier, type OnboardingOwner } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { PointInTimeRestore } from '../backups/pitr/point-in-time-restore.js';
import { TenantBackups } from '../backups/tenant-backups.service.js';

interface CopyOptions {
  tenant?: string;
  out?: string;
  file?: string;
  from?: string;
  slug?: string;
  owner?: string;
}

/** What the three commands share: options, the core check, finding tenants and owners. */
abstract class CopyCommand extends CommandRunner {
  constructor(
    @InjectDataSource() protected readonly core: DataSource,
    protected readonly owners: OwnerRepository,
    protected readonly copier: TenantCopier,
  ) {
    super();
  }

  @Option({ flags: '--slug <slug>', description: 'slug of the new organization' })
  parseSlug(value: string): string {
    if (!isValidSlug(value)) throw new Error(`--slug: ${value} is not a valid, unreserved slug`);
    return value;
  }

  @Option({ flags: '--owner <email>', description: "the new organization's owner (a verified owner)" })
  parseOwner(value: string): string {
    return value.trim().toLowerCase();
  }

  protected async active(slug: string | undefined, flag: string): Promise<Organization> {
    await assertCoreCurrent(this.core);
    if (!slug) throw new Error(`${flag} is required`);
    const org = await this.core.getRepository(Organization).findOneBy({ slug });
    if (!org || (org.status !== 'active' && org.status !== 'suspended'))
      throw new Error(`no such tenant: ${slug}`);
    return org;
  }

  protected async newOwner(options: CopyOptions): Promise<{ slug: string; owner: OnboardingOwner }> {
    await assertCoreCurrent(this.core);
    if (!options.slug || !options.owner) throw new Error('--slug and --owner are required');
    const owner = await this.owners.findByEmail(options.owner);
    if (!owner?.emailVerifiedAt) throw new Error(`no verified owner with email ${options.owner}`);
    return { slug: options.slug, owner };
  }

  protected done(org: Organization, what: string, started: number): void {
    console.log(
      `${what} ${org.slug} (${org.id}): ${org.status}, schema ${org.schemaVersion} in ${Date.now() - started} ms`,
    );
  }
}

@Command({
  name: 'tenants:backup',
  description: "Write a tenant's database to a pg_dump archive (its files beside it, in <out>.files/).",
})
export class TenantsBackupCommand extends CopyCommand {
  @Option({ flags: '--tenant <slug>', description: 'the tenant', required: true })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--out <file>', description: 'the archive to write', required: true })
  parseOut(value: string): string {
    return resolve(value);
  }

  async run(_params: string[], options: CopyOptions): Promise<void> {
    const org = await this.active(options.tenant, '--tenant');
    const started = Date.now();
    const bytes = await this.copier.backup(org, options.out!);
    console.log(`backed up ${org.slug} to ${options.out} (${bytes} bytes) in ${Date.now() - started} ms`);
  }
}

@Command({
  name: 'tenants:restore',
  description:
    'Restore a tenants:backup archive into a new organization (its own roles, users adopted, sessions ended).',
})
export class TenantsRestoreCommand extends CopyCommand {
  constructor(
    @InjectDataSource() core: DataSource,
    owners: OwnerRepository,
    copier: TenantCopier,
    private readonly pointInTime: PointInTimeRestore,
    private readonly backups: TenantBackups,
  ) {
    super(core, owners, copier);
  }

  @Option({ flags: '--at <time>', description: 'with --tenant: the tenant as it was at this ISO 8601 time' })
  parseAt(value: string): Date {
    const at = new Date(value);
    // With its offset (Z or ±hh:mm): a time without one would be read in this machine's zone.
    const iso = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
    const day = iso && new Date(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])));
    if (!iso || Number.isNaN(at.getTime()) || day!.getUTCDate() !== Number(iso[3]))
      throw new Error(`--at: ${value} is not an ISO 8601 time with its offset (e.g. 2026-12-07T10:15:00Z)`);
    return at;
  }

  @Option({ flags: '--file <file>', description: 'a tenants:backup archive' })
  parseFile(value: string): string {
    return resolve(value);
  }

  @Option({ flags: '--tenant <slug>', description: 'with --backup: whose recorded backup (tenants:backups)' })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--backup <id>', description: 'a recorded backup of --tenant; the new one has its owner' })
  parseBackup(value: string): string {
    return value;
  }

  async run(_params: string[], options: CopyOptions & { backup?: string; at?: Date }): Promise<void> {
    if (options.at) return this.toPointInTime(options);
    if (options.backup || options.tenant) return this.fromRecorded(options);
    if (!options.file) throw new Error('--file, or --tenant and --backup, is required');
    const { slug, owner } = await this.newOwner(options);
    const started = Date.now();
    this.done(await this.copier.restore(options.file, slug, slug, owner), 'restored', started);
  }

  /** `--tenant <slug> --at <time> --slug <new>`: the tenant at that time, into a new organization of its owner. */
  private async toPointInTime(options: CopyOptions & { backup?: string; at?: Date }): Promise<void> {
    if (!options.tenant || !options.slug || options.backup || options.file)
      throw new Error('--at goes with --tenant and --slug (not --backup or --file)');
    const tenant = await this.active(options.tenant, '--tenant');
    const owner = await this.owners.findById(tenant.ownerId);
    if (!owner) throw new Error(`the owner of ${options.tenant} is gone`);
    const r = await this.pointInTime.restore(tenant, options.at!, options.slug, owner);
    const org = r.organization;
    console.log(
      `restored ${tenant.slug} as of ${r.at} into ${org.slug} (${org.id}): ${org.status}, schema ${org.schemaVersion}; ` +
        `recovery point ${r.recoveryPoint ?? 'none (no transaction replayed)'} from the base backup of ${r.baseBackup}; ` +
        `took ${r.totalMs} ms (recovery ${r.recoveryMs} ms, copy ${r.copyMs} ms)`,
    );
  }

  /** `--tenant <slug> --backup <id> --slug <new>`: into a new organization of the same owner. */
  private async fromRecorded(options: CopyOptions & { backup?: string }): Promise<void> {
    await assertCoreCurrent(this.core);
    if (!options.tenant || !options.backup || !options.slug)
      throw new Error('--tenant, --backup and --slug go together');
    const [row]: {
      path: string;
      tenant_id: string;
      owner_id: string;
      name: string;
      verify_error: string | null;
    }[] = await this.core.query(
      `SELECT b.path, b.tenant_id, o.owner_id, o.name, b.verify_error FROM tenant_backups b JOIN organizations o ON o.id = b.tenant_id
        WHERE o.slug = $1 AND b.id::text = $2`,
      [options.tenant, options.backup],
    );
    if (!row)
      throw new Error(`no backup ${options.backup} of ${options.tenant} (tenants:backups lists them)`);
    if (row.verify_error)
      process.stderr.write(`warning: this backup failed its verification: ${row.verify_error}\n`);
    const owner = await this.owners.findById(row.owner_id);
    if (!owner) throw new Error(`the owner of ${options.tenant} is gone`);
    const started = Date.now();
    const org = await this.backups.withArchive(row.path, row.tenant_id, (archive) =>
      this.copier.restore(archive, options.slug!, row.name, owner),
    );
    this.done(org, 'restored', started);
  }
}

@Command({
  name: 'tenants:clone',
  description: "A new organization holding a copy of another's data (its own roles, keys and sessions).",
})
export class TenantsCloneCommand extends CopyCommand {
  @Option({ flags: '--from <slug>', description: 'the tenant to copy', required: true })
  parseFrom(value: string): string {
    return value;
  }

  async run(_params: string[], options: CopyOptions): Promise<void> {
    const from = await this.active(options.from, '--from');
    const { slug, owner } = await this.newOwner(options);
    const started = Date.now();
    this.done(await this.copier.clone(from, slug, owner), 'cloned', started);
  }
}
