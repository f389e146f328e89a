import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { OrganizationService } from '../core/organizations/organization.service.js';
import { OwnerRepository } from '../core/owners/owner.repository.js';
import { assertCoreCurrent } from './core-schema.guard.js';

interface Options {
  name: string;
  owner: string;
  slug?: string;
}

/** Onboarding without HTTP: the same OrganizationService.create the route calls. */
@Command({ name: 'tenants:create', description: 'Onboard an organization for an existing, verified owner.' })
export class TenantsCreateCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly owners: OwnerRepository,
    private readonly organizations: OrganizationService,
  ) {
    super();
  }

  @Option({ flags: '--name <name>', description: 'organization name', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--owner <email>', description: "the owner's email", required: true })
  parseOwner(value: string): string {
    return value.trim().toLowerCase();
  }

  @Option({ flags: '--slug <slug>', description: 'slug (derived from the name when omitted)' })
  parseSlug(value: string): string {
    return value;
  }

  async run(_params: string[], options: Options): Promise<void> {
    await assertCoreCurrent(this.core);
    const owner = await this.owners.findByEmail(options.owner);
    if (!owner) throw new Error(`no owner with email ${options.owner}`);
    const org = await this.organizations.create(
      { id: owner.id, email: owner.email, emailVerified: owner.emailVerifiedAt !== null },
      { name: options.name, slug: options.slug },
    );
    console.log(`created ${org.slug} (${org.id}): ${org.status}, schema ${org.schemaVersion}`);
  }
}
