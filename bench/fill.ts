import pg from 'pg';

/**
 * Fills a tenant's database (a superuser's URL of it) with `rows` rows in each of products, items and
 * audit_logs (600,000: about 1 GB with their indexes); it must hold one product, item and audit entry
 * already (made through the API). Resolves its size in bytes and the time taken.
 */
export async function fillTenant(url: string, rows: number): Promise<{ bytes: number; ms: number }> {
  const tenant = new pg.Client({ connectionString: url });
  await tenant.connect();
  const started = performance.now();
  try {
    await tenant.query(
      `INSERT INTO products (sku, name, supplier_id) SELECT 'SKU-' || g, 'Product ' || g, NULL FROM generate_series(2, $1) g`,
      [rows],
    );
    await tenant.query(
      `INSERT INTO items (owner_id, title, body, tags)
         SELECT owner_id, 'Item ' || g, repeat('text ', 20), ARRAY['t' || (g % 10)] FROM items, generate_series(2, $1) g`,
      [rows],
    );
    await tenant.query(
      `INSERT INTO audit_logs (actor_id, action, entity, entity_id, changes)
         SELECT actor_id, action, entity, entity_id, changes FROM audit_logs, generate_series(1, $1) g LIMIT $1`,
      [rows],
    );
    const bytes = Number((await tenant.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
    return { bytes, ms: performance.now() - started };
  } finally {
    await tenant.end();
  }
}
