import pg from 'pg';

/** Connections kept free for administration, migrations and the catalog listener. */
export const CONNECTION_RESERVE = 5;
export const CORE_POOL_MAX = 10;

export interface BudgetCheck {
  worstCase: number;
  available: number;
}

/**
 * The worst case of one instance — every tenant DataSource full, plus the core pool — must fit in the
 * server's `max_connections` minus the superuser reserve and ours; otherwise the 100th tenant would get
 * "too many clients". Start-up refuses such a configuration.
 */
export async function checkConnectionBudget(
  coreUrl: string,
  maxDataSources: number,
  poolMax: number,
): Promise<BudgetCheck> {
  const client = new pg.Client({ connectionString: coreUrl });
  await client.connect();
  const {
    rows: [row],
  } = await client.query<{ max: number; reserved: number }>(
    `SELECT current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved`,
  );
  await client.end();
  const available = row.max - row.reserved - CONNECTION_RESERVE;
  const worstCase = maxDataSources * poolMax + CORE_POOL_MAX;
  if (worstCase > available) {
    throw new Error(
      `TENANT_MAX_DATASOURCES × TENANT_POOL_MAX + core pool = ${maxDataSources} × ${poolMax} + ${CORE_POOL_MAX} = ${worstCase} ` +
        `connections exceeds what the server allows (max_connections ${row.max} − ${row.reserved} reserved − ${CONNECTION_RESERVE} = ${available}). ` +
        `Lower TENANT_MAX_DATASOURCES or TENANT_POOL_MAX, or raise max_connections (or put PgBouncer in front).`,
    );
  }
  return { worstCase, available };
}
