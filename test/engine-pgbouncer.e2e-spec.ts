import { describeBudgetUnderLoad } from './support/budget-load.js';
import { describeOutage } from './support/outage.js';
import type { OwnPostgres } from './support/own-postgres.js';
import { startPgBouncer } from '../bench/pgbouncer.js';

/**
 * Issue 8, acceptance 6: the budget and outage specs again, tenant connections through a real PgBouncer
 * (transaction mode). The service's own connections stay within its budget and every reply is 200 or
 * 503 + Retry-After; on the server, PgBouncer's idle per-tenant pools may briefly add to them (they are
 * bounded by max_connections, not by the service: see docs/reference/tenancy.md).
 */
const throughPgBouncer = async (pg: OwnPostgres) => {
  // Idle server connections closed after 0.2 s, as the bench runs it (at 1 s they pin the server's slots).
  const bouncer = await startPgBouncer(pg.url, { serverIdleSeconds: 0.2 });
  return {
    env: { TENANT_POOLER_URL: bouncer.url },
    clients: () => bouncer.tenantClients(),
    stop: () => bouncer.stop(),
  };
};

// Through PgBouncer the server-side count is PgBouncer's: measured on this 40-connection server it reached
// 40 of 40 (an auth_query pool per tenant database plus the per-tenant pools), so the service's connections
// are held to the budget where PgBouncer sees them: its own client list (SHOW CLIENTS), sampled, besides the
// service's counter. docs/reference/tenancy.md, "PgBouncer".
// Through PgBouncer on this 40-connection server most requests wait past the 300 ms acquire timeout for a
// server connection (PgBouncer pools per tenant database; measured 5-7 % of replies 200, against 66 %
// direct): a known limit of PgBouncer with a database per tenant (docs/reference/tenancy.md), stated here as a floor
// that only says it serves at all — raising it is open work.
describeBudgetUnderLoad(
  'PgBouncer mode: the service stays within its budget under load',
  throughPgBouncer,
  'pgbouncer',
  40,
  0.02,
);
describeOutage('PgBouncer mode: Postgres restarted under writes', throughPgBouncer);
