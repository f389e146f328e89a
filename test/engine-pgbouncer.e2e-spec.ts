import { describeBudgetUnderLoad } from './support/budget-load.js';
import { describeOutage } from './support/outage.js';
import type { OwnPostgres } from './support/own-postgres.js';
import { startPgBouncer } from '../bench/pgbouncer.js';

/**
 * Issue 8, acceptance 6: the budget and outage specs again, tenant connections through a real PgBouncer
 * (transaction mode). The service's own connections stay within its budget and every reply is 200 or
 * 503 + Retry-After; on the server, PgBouncer's idle per-tenant pools may briefly add to them (they are
 * bounded by max_connections, not by the service: see docs/tenancy.md).
 */
const throughPgBouncer = async (pg: OwnPostgres) => {
  const bouncer = await startPgBouncer(pg.url);
  return {
    env: { TENANT_POOLER_URL: bouncer.url },
    clients: () => bouncer.tenantClients(),
    stop: () => bouncer.stop(),
  };
};

// Through PgBouncer the server-side count is PgBouncer's: measured on this 40-connection server it reached
// 40 of 40 (an auth_query pool per tenant database plus the per-tenant pools), so the service's connections
// are held to the budget where PgBouncer sees them: its own client list (SHOW CLIENTS), sampled, besides the
// service's counter. docs/tenancy.md, "PgBouncer".
describeBudgetUnderLoad(
  'PgBouncer mode: the service stays within its budget under load',
  throughPgBouncer,
  'pgbouncer',
);
describeOutage('PgBouncer mode: Postgres restarted under writes', throughPgBouncer);
