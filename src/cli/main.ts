import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { prepareDatabase } from '../bootstrap.js';
import { CliModule } from './cli.module.js';
import { ConfigError, loadConfig } from '../config/config.loader.js';

/** `npm run cli -- <command>`: see docs/reference/api.md's CLI section, or `--help`. */
async function main(): Promise<void> {
  let config;
  try {
    config = { ...loadConfig(), runWorkers: false };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (!process.env.LOG_LEVEL) config.logLevel = 'error';
  const db = await prepareDatabase(config, { migrateCore: false });
  // A command that handles Ctrl-C itself (migrate:tenants) adds its own SIGINT listener and finishes
  // in order; otherwise an interrupt stops embedded Postgres and exits.
  const stop = () => void (db.embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  process.on('SIGINT', () => process.listenerCount('SIGINT') === 1 && stop());
  process.on('SIGTERM', stop);
  try {
    await CommandFactory.run(CliModule.forRoot(config, db.coreUrl), {
      // A command reports on stdout/stderr itself, and a failure as one line (below); the services' own log
      // lines (pretty-printed objects) only with LOG_LEVEL set.
      logger: process.env.LOG_LEVEL ? ['error', 'warn'] : false,
      cliName: 'tenantry',
      serviceErrorHandler: (err) => {
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = 1;
      },
    });
  } finally {
    await db.embedded?.stop();
  }
  process.exit(process.exitCode ?? 0);
}

main().catch((err) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
