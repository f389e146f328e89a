import { runCli } from './cli.js';
import { queryServer } from './tenants.js';
import type { TestApp } from './test-app.js';

/**
 * The fleet the console spec looks at. Onboarding hundreds of tenants through the API takes minutes; the
 * operator's tenant table and fleet overview read the catalog only (`organizations`), so all but a few are
 * catalog rows with no database — honest for those pages, and never used for tenant traffic.
 */
export const CATALOG_ONLY = 297;

export const fleetSlug = (n: number): string => `fleet-${String(n).padStart(3, '0')}`;

/** `fleet-001` … `fleet-297` on the same schema version as `versionOf`; every 25th suspended. */
export async function seedCatalogTenants(t: TestApp, ownerId: string, versionOf: string): Promise<void> {
  await queryServer(
    t.coreUrl,
    `INSERT INTO organizations (id, name, slug, owner_id, status, db_name, schema_version)
     SELECT gen_random_uuid(), 'Fleet tenant ' || n, 'fleet-' || lpad(n::text, 3, '0'), $1,
            CASE WHEN n % 25 = 0 THEN 'suspended' ELSE 'active' END, 'tenantry_catalog_only_' || n,
            (SELECT schema_version FROM organizations WHERE slug = $3)
       FROM generate_series(1, $2::int) n`,
    [ownerId, CATALOG_ONLY, versionOf],
  );
}

/** The catalog rows have no database for `TestApp.close()` to drop: removed first. */
export async function removeCatalogTenants(t: TestApp): Promise<void> {
  await queryServer(t.coreUrl, `DELETE FROM organizations WHERE slug LIKE 'fleet-%'`);
}

/**
 * A fleet run in progress, as `migrate:tenants --waves 1,10,100 --canary <canary>` leaves its rows while a
 * process executes it: the canary migrated; 1 %: fleet-001..003, the third failed; 10 %: fleet-004..030
 * pending; 100 %: the rest pending. Returns its id.
 */
export async function seedRunningRun(t: TestApp, createdBy: string, canary: string): Promise<string> {
  const [{ id }] = await queryServer<{ id: string }>(
    t.coreUrl,
    `INSERT INTO fleet_runs (status, created_by, target_version, max_failure_rate, concurrency, plan)
     VALUES ('running', $1, (SELECT schema_version FROM organizations WHERE slug = $2), 0.5, 4,
             jsonb_build_object('waves', '[1,10,100]'::jsonb, 'canaries', jsonb_build_array($2::text)))
     RETURNING id`,
    [createdBy, canary],
  );
  await queryServer(
    t.coreUrl,
    `INSERT INTO fleet_run_tenants (run_id, tenant_id, slug, wave, wave_name, result, error, finished_at)
     SELECT $1::uuid, o.id, o.slug, w.wave, w.name, w.result, w.error,
            CASE WHEN w.result <> 'pending' THEN now() END
       FROM (SELECT id, slug, row_number() OVER (ORDER BY slug) AS n
               FROM organizations WHERE slug LIKE 'fleet-%') o
       CROSS JOIN LATERAL (SELECT
         CASE WHEN o.n <= 3 THEN 1 WHEN o.n <= 30 THEN 2 ELSE 3 END AS wave,
         CASE WHEN o.n <= 3 THEN '1%' WHEN o.n <= 30 THEN '10%' ELSE '100%' END AS name,
         CASE WHEN o.n <= 2 THEN 'up-to-date' WHEN o.n = 3 THEN 'failed' ELSE 'pending' END AS result,
         CASE WHEN o.n = 3 THEN 'relation "stock_levels" already exists' END AS error) w
     UNION ALL
     SELECT $1::uuid, id, slug, 0, 'canary', 'migrated', NULL, now() FROM organizations WHERE slug = $2`,
    [id, canary],
  );
  return id;
}

/** One tenant of a run finished (by whichever process executes it). */
export async function finishRunTenant(t: TestApp, runId: string, slug: string): Promise<void> {
  await queryServer(
    t.coreUrl,
    `UPDATE fleet_run_tenants SET result = 'migrated', finished_at = now() WHERE run_id = $1 AND slug = $2`,
    [runId, slug],
  );
}

/** `operators:create` as an operator runs it; returns the one-time password it prints. */
export async function createOperator(t: TestApp, email: string): Promise<string> {
  const created = await runCli(['operators:create', '--email', email], { DATABASE_URL: t.coreUrl });
  if (created.code !== 0) throw new Error(`operators:create: ${created.stderr}`);
  return /password: (\S+)/.exec(created.stdout)![1];
}
