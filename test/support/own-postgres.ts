import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/database/embedded-postgres.js';
import { withDatabase } from '../../src/database/postgres-identifiers.js';

/** A Postgres server of a spec's own (its own max_connections, restartable), removed at the end. */
export interface OwnPostgres {
  url: string;
  /** Core database URL on it. */
  coreUrl: string;
  /** Stops the server, waits `downMs`, starts it again; resolves when it accepts connections. */
  restart(downMs: number): Promise<void>;
  /** Client connections right now: those of tenant roles (whatever connected them), and all. */
  connections(): Promise<{ tenant: number; total: number }>;
  stop(): Promise<void>;
}

export async function startOwnPostgres(maxConnections: number): Promise<OwnPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'tenantry-own-pg-'));
  const dir = join(root, 'pg');
  const start = () => startEmbeddedPostgres({ dir, persistent: true, maxConnections });
  let server: EmbeddedServer = await start();
  const sampler = new pg.Client({ connectionString: server.url, application_name: 'tenantry-spec-sampler' });
  let samplerUp = false;
  const connectSampler = async () => {
    samplerUp = false;
    const client = new pg.Client({ connectionString: server.url, application_name: 'tenantry-spec-sampler' });
    client.on('error', () => (samplerUp = false));
    await client.connect();
    samplerUp = true;
    return client;
  };
  let sampling: pg.Client = sampler;
  sampler.on('error', () => (samplerUp = false));
  await sampler.connect();
  samplerUp = true;
  return {
    url: server.url,
    coreUrl: withDatabase(server.url, 'tenantry'),
    async restart(downMs) {
      await sampling.end().catch(() => undefined);
      samplerUp = false;
      await server.stop();
      await new Promise((r) => setTimeout(r, downMs));
      server = await start();
      sampling = await connectSampler();
    },
    async connections() {
      if (!samplerUp) return { tenant: 0, total: 0 };
      const { rows } = await sampling.query<{ tenant: number; total: number }>(
        `SELECT count(*) FILTER (WHERE usename LIKE 't\\_%')::int AS tenant,
                count(*)::int AS total
           FROM pg_stat_activity WHERE backend_type = 'client backend'`,
      );
      return rows[0];
    },
    async stop() {
      await sampling.end().catch(() => undefined);
      await server.stop();
      rmSync(dirname(dir), { recursive: true, force: true });
    },
  };
}
