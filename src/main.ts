import 'reflect-metadata';
import { Logger } from '@nestjs/common';
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
  // Defence in depth (docs/reference/security.md): a promise rejected with nobody listening is a bug, logged as an
  // alert; it does not take every tenant of the instance down with it. An uncaught exception still ends the
  // process (what state it left is unknown).
  const alerts = new Logger('Process');
  process.on('unhandledRejection', (reason) =>
    alerts.error(
      { alert: 'unhandled-rejection', err: reason instanceof Error ? reason.message : String(reason) },
      'a promise was rejected with no handler',
    ),
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`received ${signal}, shutting down`);
    // In-flight requests finish, event streams end, jobs stop (each bounded); past the deadline the process
    // exits anyway, non-zero, so an orchestrator never waits on a hung close.
    setTimeout(() => {
      alerts.error({ alert: 'shutdown-deadline', deadlineMs: config.shutdownTimeoutMs }, 'shutdown overran');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
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
