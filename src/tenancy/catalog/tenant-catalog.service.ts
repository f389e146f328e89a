import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Organization } from './organization.entity.js';
import { CORE_DATABASE_URL } from '../../database/database.tokens.js';
import { CATALOG_ENTRY_BY_SLUG, CatalogEntry, toCatalogEntry } from './catalog-entry.js';
import { TenancyMetrics } from '../options/tenancy.metrics.js';
import { TENANCY_SETTINGS, type TenancySettings } from '../options/tenancy.options.js';

export const CATALOG_CHANNEL = 'tenantry_catalog';

/** Known tenants cached per instance, and (separately, so junk cannot push real ones out) unknown slugs. */
const CACHED_TENANTS = 10_000;
const CACHED_MISSES = 1_000;

/** `previous` is the entry this instance had cached for the slug, if any. */
type ChangeListener = (slug: string, previous: CatalogEntry | null) => void;

/**
 * Slug → catalog entry, cached. Every write to `organizations`, by whatever code, is announced by the
 * table's trigger with `NOTIFY tenantry_catalog, '<slug>'` and every instance drops that slug at once; while the LISTEN connection is down nothing is
 * cached, so a change is never missed (docs/reference/tenancy.md).
 */
@Injectable()
export class TenantCatalog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TenantCatalog.name);
  private readonly cache: LRUCache<string, CatalogEntry>;
  private readonly misses: LRUCache<string, true>;
  private readonly events = new EventEmitter<{ changed: Parameters<ChangeListener> }>();
  private listener?: pg.Client;
  /** Further channels on the same connection: the instance's one LISTEN connection to the core database. */
  private readonly channels = new Map<string, (payload: string) => void>();
  private listening = false;
  /** Bumped by every invalidation: a read that overlapped one does not cache what it read. */
  private generation = 0;
  private closed = false;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(TENANCY_SETTINGS) private readonly settings: TenancySettings,
    @Inject(CORE_DATABASE_URL) private readonly coreUrl: string,
    private readonly metrics: TenancyMetrics,
  ) {
    const ttl = settings.catalogTtlMs;
    this.cache = new LRUCache({ max: CACHED_TENANTS, ttl });
    this.misses = new LRUCache({ max: CACHED_MISSES, ttl });
  }

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.listener?.end().catch(() => undefined);
  }

  /** Whether the LISTEN connection is up (else entries are read from the database every time). */
  get listenerUp(): boolean {
    return this.listening;
  }

  /** The cached entry (null: known not to exist), or undefined when only the database can tell. */
  peek(slug: string): CatalogEntry | null | undefined {
    const cached = this.cache.get(slug);
    if (!cached && !this.misses.has(slug)) return undefined;
    this.metrics.catalogLookups.inc({ result: 'cached' });
    return cached ?? null;
  }

  async findBySlug(slug: string): Promise<CatalogEntry | null> {
    const cached = this.peek(slug);
    if (cached !== undefined) return cached;
    this.metrics.catalogLookups.inc({ result: 'loaded' });
    const generation = this.generation;
    const rows: Pick<Organization, keyof CatalogEntry>[] = await this.dataSource.query(
      CATALOG_ENTRY_BY_SLUG,
      [slug],
    );
    const entry = rows[0] ? toCatalogEntry(rows[0]) : null;
    // A change announced while this read was in flight may not be in what it read: not cached then.
    if (this.listening && generation === this.generation) {
      if (entry) this.cache.set(slug, entry);
      else this.misses.set(slug, true);
    }
    return entry;
  }

  /**
   * The writer's own instance forgets `slug` at once. Every instance (this one too) also hears of the
   * change from the catalog's trigger (migrations-core: NotifyCatalogChanges) within milliseconds; this
   * only spares the writer that round trip, so its next request never sees the row as it was.
   */
  changed(slug: string): void {
    this.invalidate(slug);
  }

  /** Records a tenant's schema version (the catalog's trigger tells every instance). */
  async recordSchemaVersion(tenantId: string, version: string | null): Promise<void> {
    const [rows]: [{ slug: string }[], number] = await this.dataSource.query(
      `UPDATE organizations SET schema_version = $2, updated_at = now() WHERE id = $1 RETURNING slug`,
      [tenantId, version],
    );
    if (rows[0]) this.changed(rows[0].slug);
  }

  /**
   * `recordSchemaVersion` for many tenants in one statement (a fleet run's batches, written after each
   * tenant's migration lock was released): never to an older version than the catalog shows (the last 13
   * digits of a migration's name are its timestamp), so a slower run cannot undo a newer one's record.
   */
  async recordSchemaVersions(versions: { tenantId: string; version: string | null }[]): Promise<void> {
    if (versions.length === 0) return;
    const [rows]: [{ slug: string }[], number] = await this.dataSource.query(
      `UPDATE organizations o SET schema_version = v.version, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS v(id, version)
        WHERE o.id = v.id AND (o.schema_version IS NULL OR right(v.version, 13) >= right(o.schema_version, 13))
        RETURNING o.slug`,
      [versions.map((v) => v.tenantId), versions.map((v) => v.version)],
    );
    for (const row of rows) this.changed(row.slug);
  }

  /** Suspends or resumes a tenant: this instance serves the new status at once, the others within ms. */
  async setStatus(tenantId: string, status: 'active' | 'suspended'): Promise<void> {
    const [rows]: [{ slug: string }[], number] = await this.dataSource.query(
      `UPDATE organizations SET status = $2, updated_at = now() WHERE id = $1 RETURNING slug`,
      [tenantId, status],
    );
    if (rows[0]) this.changed(rows[0].slug);
  }

  /**
   * Listens to `channel` on the catalog's LISTEN connection (one per instance, whatever listens: the
   * connection budget counts one). Notifications sent while the connection is down are lost: listeners
   * must recover by reading what they missed (the event streams poll).
   */
  async listenTo(channel: string, handler: (payload: string) => void): Promise<void> {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
    this.channels.set(channel, handler);
    if (this.listening) await this.listener?.query(`LISTEN ${channel}`);
  }

  onChange(listener: ChangeListener): void {
    this.events.on('changed', listener);
  }

  private invalidate(slug: string): void {
    this.generation++;
    const previous = this.cache.get(slug) ?? null;
    this.cache.delete(slug);
    this.misses.delete(slug);
    this.events.emit('changed', slug, previous);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.coreUrl,
      application_name: 'tenantry-catalog-listener',
    });
    const lost = (err?: Error) => {
      if (this.listener !== client) return;
      this.listening = false;
      this.listener = undefined;
      this.cache.clear();
      this.misses.clear();
      if (this.closed) return;
      this.logger.warn({ err: err?.message }, 'catalog LISTEN connection lost; caching off until it is back');
      this.reconnectTimer = setTimeout(() => void this.listen().catch(() => undefined), 1000);
    };
    client.on('notification', (msg) => {
      if (msg.channel === CATALOG_CHANNEL && msg.payload) this.invalidate(msg.payload);
      else if (msg.payload) this.channels.get(msg.channel)?.(msg.payload);
    });
    client.on('error', lost);
    client.on('end', () => lost());
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CATALOG_CHANNEL}`);
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
      this.cache.clear();
      this.misses.clear();
      this.listening = true;
    } catch (err) {
      lost(err as Error);
    }
  }
}
