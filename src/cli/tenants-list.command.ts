import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner } from 'nest-commander';
import { DataSource } from 'typeorm';
import { Organization } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { formatTable, versionOf } from './table.js';

@Command({ name: 'tenants:list', description: 'Slug, status, server and schema version of every tenant.' })
export class TenantsListCommand extends CommandRunner {
  constructor(@InjectDataSource() private readonly core: DataSource) {
    super();
  }

  async run(): Promise<void> {
    await assertCoreCurrent(this.core);
    const tenants = await this.core.getRepository(Organization).find({ order: { slug: 'ASC' } });
    console.log(
      formatTable(
        ['slug', 'status', 'server', 'database', 'schema version'],
        tenants.map((t) => [t.slug, t.status, t.server, t.dbName, versionOf(t.schemaVersion)]),
      ),
    );
    console.log(`\n${tenants.length} tenants`);
  }
}
