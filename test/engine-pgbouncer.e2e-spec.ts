import { describeBudgetUnderLoad } from './support/budget-load.js';
import { describeOutage } from './support/outage.js';
import type { OwnPostgres } from './support/own-postgres.js';
import { startPgBouncer } from './support/pgbouncer.js';

/** Issue 8, acceptance 6: the budget and outage specs again, tenant connections through a real PgBouncer. */
const throughPgBouncer = async (pg: OwnPostgres) => {
  const bouncer = await startPgBouncer(pg.url);
  return { env: { TENANT_POOLER_URL: bouncer.url }, stop: () => bouncer.stop() };
};

describeBudgetUnderLoad('PgBouncer mode: the connection budget holds under load', throughPgBouncer);
describeOutage('PgBouncer mode: Postgres restarted under writes', throughPgBouncer);
