import { Counter, type Registry } from 'prom-client';

interface Totals {
  requests: number;
  errors: number;
}

/**
 * Per-tenant Prometheus series for the `top` tenants by requests on this instance, plus one `tenant="other"`
 * series for the rest, so the number of series stays bounded at any tenant count. Counted on the request
 * path in a map; ranked only when Prometheus scrapes.
 */
export class TopTenantMetrics {
  private readonly totals = new Map<string, Totals>();

  constructor(
    registry: Registry | undefined,
    private readonly top: number,
  ) {
    if (!registry || top <= 0) return;
    const totals = this.totals;
    const fill = (field: keyof Totals) =>
      function (this: Counter<'tenant'>) {
        fillCounter(this, totals, top, field);
      };
    new Counter({
      name: 'tenant_requests_total',
      help: `Requests per tenant (the ${top} busiest on this instance, then "other")`,
      labelNames: ['tenant'],
      registers: [registry],
      collect: fill('requests'),
    });
    new Counter({
      name: 'tenant_request_errors_total',
      help: `Replies 4xx and 5xx per tenant (the ${top} busiest on this instance, then "other")`,
      labelNames: ['tenant'],
      registers: [registry],
      collect: fill('errors'),
    });
  }

  count(slug: string, status: number): void {
    if (this.top <= 0) return;
    let t = this.totals.get(slug);
    if (!t) this.totals.set(slug, (t = { requests: 0, errors: 0 }));
    t.requests++;
    if (status >= 400) t.errors++;
  }
}

/** At scrape time: the `top` tenants by requests by name, the rest as `other`. */
function fillCounter(
  counter: Counter<'tenant'>,
  totals: Map<string, Totals>,
  top: number,
  field: keyof Totals,
): void {
  counter.reset();
  const ranked = [...totals].sort(([, a], [, b]) => b.requests - a.requests);
  for (const [slug, t] of ranked.slice(0, top)) counter.inc({ tenant: slug }, t[field]);
  if (ranked.length > top)
    counter.inc(
      { tenant: 'other' },
      ranked.slice(top).reduce((n, [, t]) => n + t[field], 0),
    );
}
