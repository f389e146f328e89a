import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { Organization, ServerAdmin, DatabaseServers, TenantMover } from '../tenancy/index.js';
import { assertCoreCurrent } from './core-schema.guard.js';
import { formatTable } from './table.js';

interface ServerOptions {
  name?: string;
  url?: string;
  poolerUrl?: string;
  capacity?: number;
}

@Command({
  name: 'servers:add',
  description: 'Register a Postgres server for tenant databases (its URL is stored encrypted, never shown).',
})
export class ServersAddCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly admin: ServerAdmin,
  ) {
    super();
  }

  @Option({ flags: '--name <name>', description: 'its name in the catalog', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--url <url>', description: "a superuser's (or CREATEDB CREATEROLE) URL", required: true })
  parseUrl(value: string): string {
    return value;
  }

  @Option({ flags: '--pooler-url <url>', description: 'its PgBouncer, for tenant connections' })
  parsePoolerUrl(value: string): string {
    return value;
  }

  @Option({ flags: '--capacity <tenants>', description: 'tenants it is meant for (default 1000)' })
  parseCapacity(value: string): number {
    return Number(value);
  }

  async run(_params: string[], options: ServerOptions): Promise<void> {
    await assertCoreCurrent(this.core);
    await this.admin.add({
      name: options.name!,
      url: options.url!,
      poolerUrl: options.poolerUrl,
      capacity: options.capacity,
    });
    console.log(`server ${options.name} added`);
  }
}

@Command({
  name: 'servers:list',
  description: 'Every server: status, capacity, tenants, connections, bytes.',
})
export class ServersListCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly admin: ServerAdmin,
  ) {
    super();
  }

  async run(): Promise<void> {
    await assertCoreCurrent(this.core);
    const servers = await this.admin.list();
    console.log(
      formatTable(
        ['name', 'host', 'pooler', 'status', 'capacity', 'tenants', 'connections', 'bytes'],
        servers.map((s) => [
          s.name,
          s.host,
          s.pooler,
          s.status,
          s.capacity,
          s.tenants,
          s.connections,
          s.bytes,
        ]),
      ),
    );
  }
}

@Command({
  name: 'servers:drain',
  description:
    'Place no new tenant on a server, and move each of its tenants to the others (rerun to resume).',
})
export class ServersDrainCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly admin: ServerAdmin,
    private readonly servers: DatabaseServers,
    private readonly mover: TenantMover,
  ) {
    super();
  }

  @Option({ flags: '--name <name>', description: 'the server', required: true })
  parseName(value: string): string {
    return value;
  }

  async run(_params: string[], options: ServerOptions): Promise<void> {
    await assertCoreCurrent(this.core);
    const name = options.name!;
    if (!(await this.admin.drain(name))) throw new Error(`no server named ${name}`);
    console.log(`server ${name} is draining: no new tenant is placed on it`);
    const tenants = await this.core
      .getRepository(Organization)
      .find({ where: { server: name, status: 'active' }, order: { slug: 'ASC' } });
    let failed = 0;
    for (const [i, org] of tenants.entries()) {
      const to = await this.core.transaction((m) => this.servers.place(m));
      try {
        const moved = await this.mover.move(org.slug, to, (line) => process.stderr.write(`${line}\n`));
        console.log(`[${i + 1}/${tenants.length}] ${org.slug} → ${to} (503 for ${moved.frozenMs} ms)`);
      } catch (err) {
        failed++;
        console.log(`[${i + 1}/${tenants.length}] ${org.slug} failed: ${(err as Error).message}`);
      }
    }
    const left = await this.core.getRepository(Organization).countBy({ server: name });
    console.log(`${tenants.length - failed} moved, ${failed} failed; ${left} organizations left on ${name}`);
    if (failed > 0) process.exitCode = 1;
  }
}
