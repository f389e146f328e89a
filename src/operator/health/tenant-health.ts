import { ApiProperty } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { emptyFigures, type Figures } from './tenant-figures.service.js';
import { quantileMs } from './latency-buckets.js';

export class HealthMinuteDto {
  @ApiProperty({ format: 'date-time' }) minute!: string;
  @ApiProperty({ type: 'integer' }) requests!: number;
  @ApiProperty({ type: 'integer' }) errors!: number;
  @ApiProperty({ type: 'integer', description: 'requests that waited for a connection' }) waits!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'ms (a bucket bound)' }) p50Ms!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'ms (a bucket bound)' }) p99Ms!: number | null;
}

/** One tenant's figures over the last hour, every instance together. */
export class TenantHealthDto {
  @ApiProperty({ type: 'integer' }) requests!: number;
  @ApiProperty({ type: 'integer', description: '4xx and 5xx replies other than 429 and 503' })
  errors!: number;
  @ApiProperty({ type: 'integer', description: '429 replies' }) limited!: number;
  @ApiProperty({ type: 'integer', description: '503 replies' }) unavailable!: number;
  @ApiProperty({ type: 'integer', description: 'requests that waited for a connection' }) waits!: number;
  @ApiProperty({ type: 'integer', description: 'connections opened for it' }) coldConnects!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'ms (a bucket bound)' }) p50Ms!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'ms (a bucket bound)' }) p99Ms!: number | null;
  @ApiProperty({ type: [HealthMinuteDto], description: 'the minutes with requests, oldest first' })
  perMinute!: HealthMinuteDto[];
}

interface Row {
  minute: Date;
  requests: number;
  errors: number;
  limited: number;
  unavailable: number;
  waits: number;
  cold_connects: number;
  latency: number[];
}

function add(into: Figures, f: Omit<Figures, 'coldConnects'> & { coldConnects: number }): void {
  into.requests += f.requests;
  into.errors += f.errors;
  into.limited += f.limited;
  into.unavailable += f.unavailable;
  into.waits += f.waits;
  into.coldConnects += f.coldConnects;
  f.latency.forEach((n, i) => (into.latency[i] += n));
}

/** The last hour of one tenant: every instance's written minutes, plus what this one has not written yet. */
export async function lastHour(
  core: DataSource,
  tenantId: string,
  unwritten?: Figures,
): Promise<TenantHealthDto> {
  const rows: Row[] = await core.query(
    `SELECT minute, requests, errors, limited, unavailable, waits, cold_connects, latency
       FROM tenant_health_minutes WHERE tenant_id = $1 AND minute >= now() - interval '1 hour' ORDER BY minute`,
    [tenantId],
  );
  const total = emptyFigures();
  const minutes = new Map<string, Figures>();
  for (const r of rows) {
    const f = { ...r, coldConnects: r.cold_connects };
    add(total, f);
    const key = new Date(r.minute).toISOString();
    const minute = minutes.get(key) ?? emptyFigures();
    add(minute, f);
    minutes.set(key, minute);
  }
  if (unwritten) add(total, unwritten);
  return {
    requests: total.requests,
    errors: total.errors,
    limited: total.limited,
    unavailable: total.unavailable,
    waits: total.waits,
    coldConnects: total.coldConnects,
    p50Ms: quantileMs(total.latency, 0.5),
    p99Ms: quantileMs(total.latency, 0.99),
    perMinute: [...minutes].map(([minute, f]) => ({
      minute,
      requests: f.requests,
      errors: f.errors,
      waits: f.waits,
      p50Ms: quantileMs(f.latency, 0.5),
      p99Ms: quantileMs(f.latency, 0.99),
    })),
  };
}
