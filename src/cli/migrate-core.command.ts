import { Inject } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import { CORE_DATABASE_URL } from '../database/database.tokens.js';
import { prepareCoreDatabase } from '../database/core-database.js';
import { SCHEMAS } from '../schemas.js';

@Command({
  name: 'migrate:core',
  description: 'Run pending core migrations (under the migration advisory lock).',
})
export class MigrateCoreCommand extends CommandRunner {
  constructor(@Inject(CORE_DATABASE_URL) private readonly coreUrl: string) {
    super();
  }

  async run(): Promise<void> {
    const applied = await prepareCoreDatabase(this.coreUrl, SCHEMAS.core.migrations);
    if (applied.length === 0) console.log('core: up to date');
    for (const name of applied) console.log(`core: applied ${name}`);
  }
}
