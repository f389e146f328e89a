import pg from 'pg';

/** Connections kept free for administration, psql sessions and migrations run by hand. */
export const CONNECTION_RESERVE = 5;
export const CORE_POOL_MAX = 10;
/** pg-boss's own pool (src/jobs). */
export const JOB_QUEUE_CONNECTIONS = 2;

export interface BudgetInputs {
  maxConnections: number;
  superuserReserved: number;
  /** Concurrent onboardings: each holds a lock connection and one into the new database. */
  provisioningConcurrency: number;
  /** Tenant jobs at once: maintenance runs each on an admin session of its own. */
  jobConcurrency: number;
  /** An explicit cap (TENANT_CONNECTION_BUDGET, or the older TENANT_MAX_DATASOURCES × TENANT_POOL_MAX). */
  explicit?: number;
  /**
   * Whether the core database is on this server (the primary): its pool, the catalog listener and the job
   * queue's pool count against it too. Another server carries tenant databases only.
   */
  hostsCore?: boolean;
}

export interface ConnectionBudget {
  /** Tenant connections this instance may hold at once, live or retiring. */
  tenants: number;
  /** What the server allows tenant connections after everything else this instance needs. */
  derived: number;
  maxConnections: number;
}

/**
 * The instance's tenant-connection budget on one server, derived from its own `max_connections`: what is left
 * after the superuser reserve, our reserve, the core pool, the catalog listener, the provisioner's admin
 * pool (2) and its per-onboarding connections, the job queue's pool and the maintenance sessions of
 * concurrent tenant jobs. An explicit setting can only lower it.
 */
export function computeConnectionBudget(inputs: BudgetInputs): ConnectionBudget {
  const core = inputs.hostsCore === false ? 0 : CORE_POOL_MAX + 1 + JOB_QUEUE_CONNECTIONS;
  const overhead =
    inputs.superuserReserved +
    CONNECTION_RESERVE +
    core +
    2 +
    2 * inputs.provisioningConcurrency +
    inputs.jobConcurrency;
  const derived = inputs.maxConnections - overhead;
  if (derived < 1) {
    throw new Error(
      `the server's max_connections (${inputs.maxConnections}) leaves no connection for tenants: ` +
        `${overhead} are needed for the core pool, reserves and onboarding. Raise max_connections, ` +
        `lower PROVISIONING_CONCURRENCY, or put PgBouncer in front.`,
    );
  }
  const tenants = inputs.explicit ? Math.min(inputs.explicit, derived) : derived;
  return { tenants, derived, maxConnections: inputs.maxConnections };
}

/** Reads `max_connections` and `superuser_reserved_connections` of the server behind `url`. */
export async function readServerLimits(
  url: string,
): Promise<{ maxConnections: number; superuserReserved: number }> {
  const client = new pg.Client({ connectionString: url, application_name: 'tenantry-budget' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const {
      rows: [row],
    } = await client.query<{ max: number; reserved: number }>(
      `SELECT current_setting('max_connections')::int AS max,
              current_setting('superuser_reserved_connections')::int AS reserved`,
    );
    return { maxConnections: row.max, superuserReserved: row.reserved };
  } finally {
    await client.end().catch(() => undefined);
  }
}
