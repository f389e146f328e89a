import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { EventEmitter } from 'node:events';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TenantCatalog, TenantScope } from '../../tenancy/index.js';

const CHANNEL = 'tenantry_events';

/**
 * "Tenant X has new events", across instances, on one channel per instance: Redis pub/sub when REDIS_URL
 * is set, else Postgres NOTIFY on the core database over the catalog's LISTEN connection. Never a
 * connection per tenant. The message carries only the tenant id; the events themselves are read from the
 * tenant's log, so a lost message delays delivery (until the streams' poll) but loses nothing.
 */
@Injectable()
export class EventChannel implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventChannel.name);
  private readonly emitter = new EventEmitter<{ tenant: [string] }>();
  private publisher?: Redis;
  private subscriber?: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly core: DataSource,
    private readonly catalog: TenantCatalog,
    private readonly scope: TenantScope,
  ) {}

  async onModuleInit(): Promise<void> {
    const url = this.config.redisUrl;
    if (!url) return this.catalog.listenTo(CHANNEL, (tenantId) => this.emitter.emit('tenant', tenantId));
    const warn = (err: Error) => this.logger.warn({ err: err.message }, 'event channel (Redis)');
    this.publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }).on('error', warn);
    this.subscriber = new Redis(url).on('error', warn);
    this.subscriber.on('message', (_channel: string, tenantId: string) =>
      this.emitter.emit('tenant', tenantId),
    );
    await this.subscriber.subscribe(CHANNEL);
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }

  onTenant(listener: (tenantId: string) => void): void {
    this.emitter.on('tenant', listener);
  }

  /** After a commit that appended events for the current tenant: tells every instance. Never throws. */
  async published(): Promise<void> {
    const tenant = this.scope.current();
    if (!tenant) return;
    try {
      if (this.publisher) await this.publisher.publish(CHANNEL, tenant.id);
      else await this.core.query('SELECT pg_notify($1, $2)', [CHANNEL, tenant.id]);
    } catch (err) {
      this.logger.warn({ tenant: tenant.slug, err: (err as Error).message }, 'event notification lost');
    }
  }
}
