import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { SCHEMAS } from '../schemas.js';
import { generateMigration, type SchemaTarget } from '../database/migration-generator.js';
import { loadExtraTenantEntities, type MigrationClass, TENANT_MIGRATION_SET } from '../tenancy/index.js';

@Command({
  name: 'migration:generate',
  arguments: '<name>',
  argsDescription: { name: 'PascalCase name of the migration, e.g. AddSupplierEmail' },
  description: 'Write a new migration into migrations-core/ or migrations-tenant/ from the entity changes.',
})
export class MigrationGenerateCommand extends CommandRunner {
  constructor(
    @Inject(CORE_DATABASE_URL) private readonly serverUrl: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TENANT_MIGRATION_SET) private readonly tenantMigrations: MigrationClass[],
  ) {
    super();
  }

  @Option({
    flags: '--target <target>',
    description: 'core or tenant',
    required: true,
    choices: ['core', 'tenant'],
  })
  parseTarget(value: string): SchemaTarget {
    return value as SchemaTarget;
  }

  async run([name]: string[], options: { target: SchemaTarget }): Promise<void> {
    const tenant = options.target === 'tenant';
    const schema = SCHEMAS[options.target];
    const generated = await generateMigration(this.serverUrl, options.target, name, process.cwd(), {
      entities: tenant
        ? [
            ...SCHEMAS.tenant.entities,
            ...(await loadExtraTenantEntities(this.config.testHooks.extraTenantEntities)),
          ]
        : schema.entities,
      migrations: tenant ? this.tenantMigrations : schema.migrations,
    });
    if (!generated) {
      console.log(`no changes: the ${options.target} entities match the migrations`);
      return;
    }
    console.log(`wrote ${generated.file}`);
    for (const sql of generated.up) console.log(`  up:   ${sql}`);
    for (const sql of generated.down) console.log(`  down: ${sql}`);
  }
}
