import 'reflect-metadata';
import { createApp, prepareDatabase } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/config.loader.js';
import { StaticBaselineModule } from './static-baseline.module.js';

/** The service as `npm start` runs it, plus the static baseline route. Started by bench/run.ts. */
const config = loadConfig();
const db = await prepareDatabase(config);
const app = await createApp(config, db.coreUrl, [StaticBaselineModule]);
await app.listen({ port: config.port, host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
process.stdout.write('ready\n');
