import 'reflect-metadata';
import { createApp, prepareDatabase } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/config.loader.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const log = (line: string) => config.logLevel !== 'silent' && line && process.stdout.write(`${line}\n`);
  const db = await prepareDatabase(config, { log: config.logLevel === 'debug' ? log : undefined });
  const app = await createApp(config, db.coreUrl);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`received ${signal}, shutting down`);
    await app.close();
    await db.embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: '0.0.0.0' });
  log(
    `Tenantry listening on http://localhost:${config.port} (docs at /docs)${db.embedded ? ' — embedded Postgres' : ''}`,
  );
}

main().catch((err) => {
  process.stderr.write(`Tenantry failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
