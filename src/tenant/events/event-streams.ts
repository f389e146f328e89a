import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TenantConnectionRegistry, type TenantLocation } from '../../tenancy/index.js';
import { EventChannel } from './event-channel.js';
import { cutSessions, type StreamSession } from './stream-sessions.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';

/** Rows read per query: about what one socket buffer takes, so a drained stream does not re-read much. */
const BATCH = 64;

interface Stream {
  tenantId: string;
  /** Where the tenant's log is (a move ends the tenant's streams: they reconnect to the new place). */
  tenant: TenantLocation;
  lastId: number;
  raw: ServerResponse;
  /** Since when the socket has not taken what was written (its buffer is full); null when it keeps up. */
  blockedSince: number | null;
  session: StreamSession;
}

interface EventRow {
  id: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * The open Server-Sent-Event streams of this instance, by tenant. A channel message for a tenant (or the
 * poll, which covers lost messages) reads the tenant's log once past the furthest-behind stream and writes
 * each stream what it has not seen, in id order: no gap, no duplicate. No stream holds a database
 * connection. Writes respect backpressure: once a socket's buffer is full (Node's high-water mark, 16 KiB)
 * the stream waits for 'drain' and is written nothing more; one still blocked after `EVENTS_SLOW_CLIENT_MS`
 * is closed. The server never holds more than about 16 KiB for a client.
 */
@Injectable()
export class EventStreams implements OnModuleInit, BeforeApplicationShutdown {
  private readonly byTenant = new Map<string, Set<Stream>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Per tenant, the last batch read: rows right after `after`, complete in between (commit-ordered ids). */
  private readonly lastBatch = new Map<string, { after: number; rows: EventRow[] }>();
  /** Places taken by streams still opening, per `<tenant id>:<user id>`. */
  private readonly reserved = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private readonly dropped: Counter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly channel: EventChannel,
    private readonly registry: TenantConnectionRegistry,
    metrics: Registry,
  ) {
    const count = () => this.count;
    new Gauge({
      name: 'tenantry_event_streams_open',
      help: 'Server-Sent-Event streams open on this instance',
      registers: [metrics],
      collect() {
        this.set(count());
      },
    });
    this.dropped = new Counter({
      name: 'tenantry_event_streams_dropped_total',
      help: 'Event streams closed because their client stopped reading',
      registers: [metrics],
    });
  }

  onModuleInit(): void {
    this.channel.onTenant((tenantId) => this.byTenant.has(tenantId) && void this.deliver(tenantId));
    // The tenant stopped serving here or moved: its streams end, and their clients reconnect.
    this.registry.onEvict((tenantId) => this.byTenant.get(tenantId)?.forEach((s) => s.raw.end()));
    const { heartbeatMs, pollMs } = this.config.events;
    this.timers = [
      setInterval(
        () => this.everyStream((s) => s.blockedSince === null && this.write(s, ': ping\n\n')),
        heartbeatMs,
      ).unref(),
      setInterval(() => this.dropStalled(), Math.min(1000, this.config.events.slowClientMs)).unref(),
      setInterval(() => {
        this.byTenant.forEach((_, id) => void this.deliver(id));
        void this.endCutSessions();
      }, pollMs).unref(),
    ];
  }

  /** Before the pools close: the streams end (clients reconnect elsewhere with Last-Event-ID). */
  beforeApplicationShutdown(): void {
    this.timers.forEach(clearInterval);
    this.everyStream((s) => s.raw.end());
  }

  get count(): number {
    let n = 0;
    this.byTenant.forEach((set) => (n += set.size));
    return n;
  }

  /**
   * Starts a stream after `lastEventId` (or from now on), sends what it missed, then follows the log; 429
   * RATE_LIMITED when the user already holds EVENTS_MAX_STREAMS_PER_USER streams here. Call before replying.
   */
  admit(tenantId: string, session: StreamSession): () => void {
    const key = `${tenantId}:${session.userId}`;
    let held = this.reserved.get(key) ?? 0;
    this.byTenant.get(tenantId)?.forEach((s) => (held += s.session.userId === session.userId ? 1 : 0));
    if (held >= this.config.events.maxStreamsPerUser)
      throw new CommonError(
        CommonErrorCode.RATE_LIMITED,
        `At most ${this.config.events.maxStreamsPerUser} event streams per user; close one first.`,
        { retryAfterSeconds: Math.ceil(this.config.events.pollMs / 1000) },
      );
    // The place is taken now, synchronously: requests arriving together cannot all pass the count while
    // each awaits its first read. Released once the stream is registered (or failed to open).
    this.reserved.set(key, (this.reserved.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.reserved.get(key) ?? 1) - 1;
      if (left > 0) this.reserved.set(key, left);
      else this.reserved.delete(key);
    };
  }

  async open(
    tenant: TenantLocation,
    raw: ServerResponse,
    lastEventId: number | null,
    headers: Record<string, string>,
    session: StreamSession,
    release: () => void,
  ) {
    const tenantId = tenant.id;
    let lastId: number;
    try {
      lastId = lastEventId ?? (await this.head(tenant));
    } catch (err) {
      release();
      throw err;
    }
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    raw.write(`retry: 2000\n\n`);
    const stream: Stream = { tenantId, tenant, lastId, raw, blockedSince: null, session };
    const set = this.byTenant.get(tenantId) ?? new Set<Stream>();
    this.byTenant.set(tenantId, set.add(stream));
    release();
    raw.on('close', () => {
      set.delete(stream);
      if (set.size === 0 && this.byTenant.get(tenantId) === set) this.byTenant.delete(tenantId);
    });
    await this.deliver(tenantId);
  }

  /** Ends the streams whose session was cut since they opened (stream-sessions.ts); a failed read waits a poll. */
  private async endCutSessions(): Promise<void> {
    await Promise.all(
      [...this.byTenant.values()].map(async (set) => {
        const streams = [...set];
        if (streams.length === 0) return;
        const cut = await cutSessions(this.registry, streams[0].tenant, streams).catch(() => []);
        for (const stream of cut) stream.raw.end();
      }),
    );
  }

  private async head(tenant: TenantLocation): Promise<number> {
    const [row] = await this.registry.query<{ id: string }>(
      tenant,
      'SELECT coalesce(max(id), 0) AS id FROM events',
      [],
    );
    return Number(row.id);
  }

  /** One reader per tenant at a time; a message during a read asks for one more read after it. */
  private deliver(tenantId: string): Promise<void> {
    const current = this.running.get(tenantId);
    if (current) {
      this.again.add(tenantId);
      return current;
    }
    const run = this.catchUp(tenantId)
      .catch(() => undefined) // the poll retries; a stream never sees an error frame for a database blip
      .finally(() => {
        this.running.delete(tenantId);
        if (this.again.delete(tenantId)) void this.deliver(tenantId);
      });
    this.running.set(tenantId, run);
    return run;
  }

  private async catchUp(tenantId: string): Promise<void> {
    for (;;) {
      const streams = [...(this.byTenant.get(tenantId) ?? [])].filter((s) => s.blockedSince === null);
      if (streams.length === 0) {
        if (!this.byTenant.has(tenantId)) this.lastBatch.delete(tenantId);
        return;
      }
      const from = Math.min(...streams.map((s) => s.lastId));
      const { rows, more } = await this.rowsAfter(streams[0].tenant, from);
      for (const stream of streams)
        for (const row of rows) {
          const id = Number(row.id);
          if (id <= stream.lastId) continue;
          const data = JSON.stringify({ ...row.data, createdAt: new Date(row.createdAt).toISOString() });
          const taken = this.write(stream, `id: ${id}\nevent: ${row.type}\ndata: ${data}\n\n`);
          stream.lastId = id;
          if (!taken) break; // buffered: it continues from here once the socket drains
        }
      if (!more) return;
    }
  }

  /**
   * Events after `from`, at most a batch: from the tenant's last batch when it covers `from` (a stream that
   * drained resumes without a query), else from the log; `more` when there may be further events.
   */
  private async rowsAfter(
    tenant: TenantLocation,
    from: number,
  ): Promise<{ rows: EventRow[]; more: boolean }> {
    const tenantId = tenant.id;
    const cached = this.lastBatch.get(tenantId);
    const last = cached?.rows.at(-1);
    if (cached && last && cached.after <= from && Number(last.id) > from)
      return { rows: cached.rows.filter((r) => Number(r.id) > from), more: true };
    const rows = await this.registry.query<EventRow>(
      tenant,
      `SELECT id, type, data, created_at AS "createdAt" FROM events WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
      [from],
    );
    this.lastBatch.set(tenantId, { after: from, rows });
    return { rows, more: rows.length === BATCH };
  }

  /** Writes one frame; false when the socket's buffer is full (the stream then waits for 'drain'). */
  private write(stream: Stream, frame: string): boolean {
    const raw = stream.raw;
    if (raw.destroyed || raw.writableEnded) return false;
    if (raw.write(frame)) return true;
    if (stream.blockedSince === null) {
      stream.blockedSince = Date.now();
      raw.once('drain', () => {
        stream.blockedSince = null;
        void this.deliver(stream.tenantId);
      });
    }
    return false;
  }

  /** Closes the streams whose clients stopped reading (blocked longer than EVENTS_SLOW_CLIENT_MS). */
  private dropStalled(): void {
    const limit = Date.now() - this.config.events.slowClientMs;
    this.everyStream((stream) => {
      if (stream.blockedSince !== null && stream.blockedSince < limit && !stream.raw.destroyed) {
        this.dropped.inc();
        stream.raw.destroy();
      }
    });
  }

  private everyStream(fn: (stream: Stream) => void): void {
    this.byTenant.forEach((set) => set.forEach(fn));
  }
}
