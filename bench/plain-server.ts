/**
 * The physical floor the engine is measured against: a plain `node:http` + `pg` server doing the same work
 * as the service's routes, and nothing else. Started by bench/run.ts as a separate process.
 *
 * - GET /api/v1/users/me: read the tenant header, look the tenant up in the core catalog (cached, as the
 *   service does), verify the HS256 token with the same per-tenant key and claims (aud, iss, typ, tid,
 *   exp), one indexed SELECT of the user as the tenant's role, JSON reply.
 * - POST /api/v1/items: the same, then parse the JSON body and, in one transaction, insert the item and its
 *   audit row, 201 with the item.
 */
import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { tenantDatabaseUrl } from '../src/tenancy/index.js';
import { TENANT_JWT, tenantSigningKey } from '../src/tenant/auth/tenant-jwt.constants.js';

const coreUrl = process.env.DATABASE_URL!;
const serverUrl = process.env.BENCH_SERVER_URL!;
const tenantSecret = process.env.JWT_TENANT_SECRET!;
const dbSecret = process.env.TENANT_DB_SECRET!;

interface Tenant {
  id: string;
  pool: pg.Pool;
  key: KeyObject;
}

const core = new pg.Pool({ connectionString: coreUrl, max: 4 });
const tenants = new Map<string, Tenant>();

async function tenant(slug: string): Promise<Tenant | undefined> {
  const cached = tenants.get(slug);
  if (cached) return cached;
  const { rows } = await core.query<{ id: string }>(
    `SELECT id FROM organizations WHERE slug = $1 AND status = 'active'`,
    [slug],
  );
  if (!rows[0]) return undefined;
  const id = rows[0].id;
  const entry: Tenant = {
    id,
    pool: new pg.Pool({ connectionString: tenantDatabaseUrl(serverUrl, id, dbSecret), max: 5 }),
    key: createSecretKey(tenantSigningKey(tenantSecret, id)),
  };
  tenants.set(slug, entry);
  return entry;
}

function verify(token: string, t: Tenant): string | undefined {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return undefined;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  if (header.alg !== 'HS256') return undefined;
  const expected = createHmac('sha256', t.key).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const c = JSON.parse(Buffer.from(p, 'base64url').toString());
  const ok =
    c.aud === TENANT_JWT.audience &&
    c.iss === TENANT_JWT.issuer &&
    c.typ === TENANT_JWT.type &&
    c.tid === t.id &&
    typeof c.exp === 'number' &&
    c.exp > Date.now() / 1000;
  return ok ? c.sub : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function body(req: IncomingMessage): Promise<{ title?: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString() || '{}');
}

const USER = `SELECT id, email, name, role, is_active AS "isActive", created_at AS "createdAt"
  FROM users WHERE id = $1 AND is_active`;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const slug = req.headers['x-tenant'];
  const t = typeof slug === 'string' ? await tenant(slug) : undefined;
  if (!t) return send(res, 404, { code: 'TENANT_NOT_FOUND' });
  const auth = req.headers.authorization ?? '';
  const sub = auth.startsWith('Bearer ') ? verify(auth.slice(7), t) : undefined;
  if (!sub) return send(res, 401, { code: 'INVALID_TOKEN' });
  const client = await t.pool.connect();
  try {
    const user = (await client.query(USER, [sub])).rows[0];
    if (!user) return send(res, 401, { code: 'INVALID_TOKEN' });
    if (req.method === 'GET' && req.url === '/api/v1/users/me') return send(res, 200, user);
    if (req.method === 'POST' && req.url === '/api/v1/items') {
      const { title } = await body(req);
      await client.query('BEGIN');
      const item = (
        await client.query(
          `INSERT INTO items (owner_id, title, body, tags) VALUES ($1, $2, '', '{}')
           RETURNING id, owner_id AS "ownerId", title, body, tags, created_at AS "createdAt"`,
          [sub, title],
        )
      ).rows[0];
      await client.query(
        `INSERT INTO audit_logs (actor_id, action, entity, entity_id, changes) VALUES ($1, 'create', 'item', $2, $3)`,
        [sub, item.id, JSON.stringify({ title: { before: null, after: title } })],
      );
      await client.query('COMMIT');
      return send(res, 201, item);
    }
    send(res, 404, { code: 'NOT_FOUND' });
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => send(res, 500, { code: 'INTERNAL_ERROR' }));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  server.close();
  void Promise.all([core.end(), ...[...tenants.values()].map((t) => t.pool.end())]).then(() =>
    process.exit(0),
  );
});
