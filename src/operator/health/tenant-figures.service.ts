import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { type TenantRequest, TenantConnectionRegistry } from '../../tenancy/index.js';
import { Registry } from 'prom-client';
import { bucketOf, LATENCY_BUCKETS } from './latency-buckets.js';
import { RecentErrors } from './recent-errors.js';
import { TopTenantMetrics } from './top-tenant-metrics.js';

/** One tenant's figures over a stretch of time. */
export interface Figures {
  requests: number;
  errors: number;
  limited: number;
  unavailable: number;
  waits: number;
  coldConnects: number;
  latency: number[];
}

export const emptyFigures = (): Figures => ({
  requests: 0,
  errors: 0,
  limited: 0,
  unavailable: 0,
  waits: 0,
  coldConnects: 0,
  latency: Array<number>(LATENCY_BUCKETS).fill(0),
});

const DEFAULT_FLUSH_MS = 10_000;
const RETENTION = `interval '1 day'`;

interface Hookable {
  addHook(
    name: 'onResponse',
    hook: (
      request: TenantRequest & { method: string; routeOptions?: { url?: string }; problemCode?: string },
      reply: { statusCode: number; elapsedTime: number },
      done: () => void,
    ) => void,
  ): unknown;
}

/**
 * Per-tenant figures of this instance — requests, errors, 429s and 503s, latency buckets, connection waits
 * and cold connects — counted in memory on the hot path (a map look-up and a few increments per request) and
 * added every few seconds to one row per tenant, minute and instance in the core database, where the
 * operator API sums the instances.
 */
@Injectable()
export class TenantFigures implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TenantFigures.name);
  readonly instance = randomUUID();
  private pending = new Map<string, Figures>();
  readonly recent = new RecentErrors();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private readonly metrics: TopTenantMetrics;

  constructor(
    @InjectDataSource() private readonly core: DataSource,
    private readonly registry: TenantConnectionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
    @Optional() prometheus?: Registry,
  ) {
    this.metrics = new TopTenantMetrics(prometheus, config.metricsTopTenants);
  }

  onModuleInit(): void {
    const instance = this.adapterHost?.httpAdapter?.getInstance?.() as Partial<Hookable> | undefined;
    // The CLI has no requests to count; TENANT_FIGURES=false keeps none.
    if (typeof instance?.addHook !== 'function' || !this.config.tenantFigures) return;
    instance.addHook('onResponse', (request, reply, done) => {
      if (request.tenant) {
        this.request(request.tenant.id, reply.statusCode, reply.elapsedTime);
        this.metrics.count(request.tenant.slug, reply.statusCode);
        if (reply.statusCode >= 400)
          this.recent.note(request.tenant.id, {
            at: new Date().toISOString(),
            method: request.method,
            route: request.routeOptions?.url ?? '(no route)',
            status: reply.statusCode,
            code: request.problemCode ?? null,
          });
      }
      done();
    });
    this.registry.observe({
      opened: (tenantId) => this.of(tenantId).coldConnects++,
      waited: (tenantId) => this.of(tenantId).waits++,
    });
    this.timer = setInterval(
      () => void this.flush(),
      this.config.testHooks.figuresFlushMs || DEFAULT_FLUSH_MS,
    );
    this.timer.unref();
  }

  request(tenantId: string, status: number, ms: number): void {
    const f = this.of(tenantId);
    f.requests++;
    if (status === 429) f.limited++;
    else if (status === 503) f.unavailable++;
    else if (status >= 400) f.errors++;
    f.latency[bucketOf(ms)]++;
  }

  /** What this instance counted and has not written yet. */
  pendingOf(tenantId: string): Figures | undefined {
    return this.pending.get(tenantId);
  }

  /** Adds what was counted since the last flush to this minute's rows (one statement for every tenant). */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    this.flushing = this.write(batch)
      .then(() => this.recent.write(this.core))
      .catch((err: unknown) => {
        this.logger.warn({ err: (err as Error).message }, 'per-tenant figures not written');
      })
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private of(tenantId: string): Figures {
    let f = this.pending.get(tenantId);
    if (!f) this.pending.set(tenantId, (f = emptyFigures()));
    return f;
  }

  private async write(batch: Map<string, Figures>): Promise<void> {
    const rows = [...batch].map(([tenantId, f]) => ({ tenantId, ...f }));
    await this.core.query(
      `INSERT INTO tenant_health_minutes AS t
              (tenant_id, minute, instance, requests, errors, limited, unavailable, waits, cold_connects, latency)
       SELECT r.tenant_id, date_trunc('minute', now()), $2, r.requests, r.errors, r.limited, r.unavailable,
              r.waits, r.cold_connects, r.latency
         FROM json_to_recordset($1::json) AS r(tenant_id uuid, requests int, errors int, limited int,
              unavailable int, waits int, cold_connects int, latency int[])
       ON CONFLICT (tenant_id, minute, instance) DO UPDATE SET
              requests = t.requests + excluded.requests, errors = t.errors + excluded.errors,
              limited = t.limited + excluded.limited, unavailable = t.unavailable + excluded.unavailable,
              waits = t.waits + excluded.waits, cold_connects = t.cold_connects + excluded.cold_connects,
              latency = ARRAY(SELECT a + b FROM unnest(t.latency, excluded.latency) WITH ORDINALITY AS x(a, b, i)
                               ORDER BY i)`,
      [
        JSON.stringify(
          rows.map((r) => ({
            tenant_id: r.tenantId,
            requests: r.requests,
            errors: r.errors,
            limited: r.limited,
            unavailable: r.unavailable,
            waits: r.waits,
            cold_connects: r.coldConnects,
            latency: r.latency,
          })),
        ),
        this.instance,
      ],
    );
    const active = rows.filter((r) => r.requests > 0).map((r) => r.tenantId);
    if (active.length > 0)
      await this.core.query(
        `INSERT INTO tenant_activity (tenant_id, last_request_at) SELECT unnest($1::uuid[]), now()
         ON CONFLICT (tenant_id) DO UPDATE SET last_request_at = excluded.last_request_at`,
        [active],
      );
    await this.core.query(`DELETE FROM tenant_health_minutes WHERE minute < now() - ${RETENTION}`);
  }
}
