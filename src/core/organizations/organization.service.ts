import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OrganizationErrors } from './organization.errors.js';
import { Page, PageQueryDto, paginate } from '../../common/pagination/cursor.js';
import {
  isValidSlug,
  slugFromName,
  TenancyErrors,
  TenantProvisioner,
  TenantMigrator,
  TenantRemover,
  TenantCatalog,
  Organization,
} from '../../tenancy/index.js';
import { CoreAuthErrors } from '../auth/core-auth.errors.js';
import type { AuthenticatedOwner } from '../auth/core-jwt.strategy.js';
import { OwnerRepository } from '../owners/owner.repository.js';
import { CreateOrganizationDto, OrganizationDto } from './organization.dto.js';

/** Organizations as their owners see them; onboarding and lifecycle go through the tenancy engine. */
@Injectable()
export class OrganizationService {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly owners: OwnerRepository,
    private readonly provisioner: TenantProvisioner,
    private readonly remover: TenantRemover,
    private readonly catalog: TenantCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly migrator: TenantMigrator,
  ) {}

  async create(caller: AuthenticatedOwner, dto: CreateOrganizationDto): Promise<OrganizationDto> {
    const owner = await this.owners.findById(caller.id);
    if (!owner) throw CoreAuthErrors.invalidToken();
    if (!owner.emailVerifiedAt) throw CoreAuthErrors.emailNotVerified();
    const slug = dto.slug ?? (await this.freeSlug(dto.name));
    const org = await this.provisioner.onboard(owner, dto.name, slug);
    return OrganizationDto.from(org);
  }

  async list(ownerId: string, query: PageQueryDto): Promise<Page<OrganizationDto>> {
    const qb = this.core
      .getRepository(Organization)
      .createQueryBuilder('o')
      .where('o.owner_id = :ownerId', { ownerId });
    const page = await paginate(qb, 'o', query);
    return { ...page, data: page.data.map(OrganizationDto.from) };
  }

  async get(ownerId: string, slug: string): Promise<OrganizationDto> {
    return OrganizationDto.from(await this.owned(ownerId, slug));
  }

  async setSuspended(ownerId: string, slug: string, suspended: boolean): Promise<OrganizationDto> {
    const org = await this.owned(ownerId, slug);
    if (org.status !== 'active' && org.status !== 'suspended') {
      throw OrganizationErrors.invalidTransition(org.status, suspended ? 'suspended' : 'resumed');
    }
    const status = suspended ? 'suspended' : 'active';
    if (org.status !== status) await this.catalog.setStatus(org.id, status);
    return OrganizationDto.from({ ...org, status });
  }

  async remove(ownerId: string, slug: string, confirm: string): Promise<void> {
    const org = await this.owned(ownerId, slug);
    if (confirm !== org.slug) throw OrganizationErrors.confirmationMismatch();
    const grace = this.config.tenants.deleteGraceDays;
    // Under a grace period an active or suspended organization is kept, restorable; anything else goes now.
    if (grace > 0 && (await this.remover.retire(org))) return;
    await this.remover.remove(org);
  }

  /** Within the deletion grace: serving again (as `active`), with its data as it was. */
  async restore(ownerId: string, slug: string): Promise<OrganizationDto> {
    const org = await this.owned(ownerId, slug);
    if (org.status !== 'deleted') throw OrganizationErrors.invalidTransition(org.status, 'restored');
    // A deploy while it was deleted may have added migrations (migrate:tenants runs on active tenants).
    await this.migrator.migrate(org);
    // Past the grace it is as good as gone: the purge job drops it at its next run.
    if (!(await this.remover.restore(org, this.config.tenants.deleteGraceDays)))
      throw OrganizationErrors.notFound();
    return OrganizationDto.from({ ...org, status: 'active', deletedAt: null });
  }

  /** The caller's organization by slug; another owner's is answered exactly like a missing one. */
  async owned(ownerId: string, slug: string): Promise<Organization> {
    const org = isValidSlug(slug) ? await this.core.getRepository(Organization).findOneBy({ slug }) : null;
    if (!org || org.ownerId !== ownerId || org.status === 'deleting') {
      throw OrganizationErrors.notFound();
    }
    return org;
  }

  private async freeSlug(name: string): Promise<string> {
    const base = slugFromName(name);
    const repo = this.core.getRepository(Organization);
    for (let i = 0; i < 5; i++) {
      const candidate =
        i === 0 && isValidSlug(base) ? base : `${base.slice(0, 33)}-${randomBytes(3).toString('hex')}`;
      if (isValidSlug(candidate) && !(await repo.existsBy({ slug: candidate }))) return candidate;
    }
    throw TenancyErrors.slugTaken();
  }
}
