import { expectProblem } from './support/http.js';
import { Role, ROLES, TenantWorld } from './support/domain.js';
import { queryServer } from './support/tenants.js';
import { startTestApp, TestApp } from './support/test-app.js';

type Call = { method: 'get' | 'post' | 'patch' | 'delete'; path: string; body?: unknown };

interface Case {
  route: string;
  allowed: Role[];
  /** Builds a fresh call (fresh records where the call changes state). */
  call: (w: TenantWorld, role: Role) => Promise<Call>;
  ok: number;
}

const ALL: Role[] = ['admin', 'manager', 'staff', 'auditor'];
const WRITE: Role[] = ['admin', 'manager'];
const STAFF_UP: Role[] = ['admin', 'manager', 'staff'];
/** Who requests the draft a role acts on: itself where it may request, else staff. */
const requesterFor = (role: Role) => (role === 'auditor' ? 'staff' : role);

function catalogue(resource: 'products' | 'suppliers' | 'warehouses'): Case[] {
  const make = (w: TenantWorld) =>
    resource === 'products' ? w.product() : resource === 'suppliers' ? w.supplier() : w.warehouse();
  const body = (w: TenantWorld) =>
    resource === 'products' ? { sku: w.unique('SKU'), name: 'P' } : { name: w.unique('N') };
  return [
    {
      route: `GET /${resource}`,
      allowed: ALL,
      ok: 200,
      call: async () => ({ method: 'get', path: `/api/v1/${resource}` }),
    },
    {
      route: `GET /${resource}/:id`,
      allowed: ALL,
      ok: 200,
      call: async (w) => ({ method: 'get', path: `/api/v1/${resource}/${(await make(w)).id}` }),
    },
    {
      route: `POST /${resource}`,
      allowed: WRITE,
      ok: 201,
      call: async (w) => ({ method: 'post', path: `/api/v1/${resource}`, body: body(w) }),
    },
    {
      route: `PATCH /${resource}/:id`,
      allowed: WRITE,
      ok: 200,
      call: async (w) => ({
        method: 'patch',
        path: `/api/v1/${resource}/${(await make(w)).id}`,
        body: { name: 'Renamed' },
      }),
    },
    {
      route: `DELETE /${resource}/:id`,
      allowed: ['admin'],
      ok: 204,
      call: async (w) => ({ method: 'delete', path: `/api/v1/${resource}/${(await make(w)).id}` }),
    },
  ];
}

const CASES: Case[] = [
  ...catalogue('products'),
  ...catalogue('suppliers'),
  ...catalogue('warehouses'),
  {
    route: 'POST /stock-movements',
    allowed: STAFF_UP,
    ok: 201,
    call: async (w) => ({
      method: 'post',
      path: '/api/v1/stock-movements',
      body: {
        productId: (await w.product()).id,
        warehouseId: (await w.warehouse()).id,
        type: 'in',
        quantity: 5,
      },
    }),
  },
  {
    route: 'GET /stock-movements',
    allowed: ALL,
    ok: 200,
    call: async () => ({ method: 'get', path: '/api/v1/stock-movements' }),
  },
  {
    route: 'GET /stock-movements/:id',
    allowed: ALL,
    ok: 200,
    call: async (w) => ({
      method: 'get',
      path: `/api/v1/stock-movements/${(await w.stockIn((await w.product()).id, (await w.warehouse()).id, 1)).id}`,
    }),
  },
  {
    route: 'GET /stock-levels',
    allowed: ALL,
    ok: 200,
    call: async () => ({ method: 'get', path: '/api/v1/stock-levels' }),
  },
  {
    route: 'GET /stock-levels/low',
    allowed: ALL,
    ok: 200,
    call: async () => ({ method: 'get', path: '/api/v1/stock-levels/low' }),
  },
  {
    route: 'POST /purchase-requests',
    allowed: STAFF_UP,
    ok: 201,
    call: async (w) => ({
      method: 'post',
      path: '/api/v1/purchase-requests',
      body: { lines: [{ productId: (await w.product()).id, quantity: 1 }] },
    }),
  },
  {
    route: 'GET /purchase-requests',
    allowed: ALL,
    ok: 200,
    call: async () => ({ method: 'get', path: '/api/v1/purchase-requests' }),
  },
  {
    route: 'GET /purchase-requests/:id',
    allowed: ALL,
    ok: 200,
    call: async (w) => ({
      method: 'get',
      path: `/api/v1/purchase-requests/${(await w.purchaseRequest()).id}`,
    }),
  },
  {
    route: 'PATCH /purchase-requests/:id',
    allowed: STAFF_UP,
    ok: 200,
    // A draft of the caller's own (the authorship rule, requester or admin, has its own spec).
    call: async (w, role) => ({
      method: 'patch',
      path: `/api/v1/purchase-requests/${(await w.purchaseRequest('draft', requesterFor(role))).id}`,
      body: { note: 'edited' },
    }),
  },
  {
    route: 'POST /purchase-requests/:id/submit',
    allowed: STAFF_UP,
    ok: 200,
    call: async (w, role) => ({
      method: 'post',
      path: `/api/v1/purchase-requests/${(await w.purchaseRequest('draft', requesterFor(role))).id}/submit`,
    }),
  },
  {
    route: 'POST /purchase-requests/:id/approve',
    allowed: WRITE,
    ok: 200,
    call: async (w) => ({
      method: 'post',
      path: `/api/v1/purchase-requests/${(await w.purchaseRequest('submitted')).id}/approve`,
    }),
  },
  {
    route: 'POST /purchase-requests/:id/reject',
    allowed: WRITE,
    ok: 200,
    call: async (w) => ({
      method: 'post',
      path: `/api/v1/purchase-requests/${(await w.purchaseRequest('submitted')).id}/reject`,
      body: { reason: 'too pricey' },
    }),
  },
  {
    route: 'POST /purchase-requests/:id/order',
    allowed: WRITE,
    ok: 200,
    call: async (w) => ({
      method: 'post',
      path: `/api/v1/purchase-requests/${(await w.purchaseRequest('approved')).id}/order`,
    }),
  },
  {
    route: 'POST /purchase-requests/:id/receive',
    allowed: WRITE,
    ok: 200,
    call: async (w) => ({
      method: 'post',
      path: `/api/v1/purchase-requests/${(await w.purchaseRequest('ordered')).id}/receive`,
      body: { warehouseId: (await w.warehouse()).id },
    }),
  },
  {
    route: 'GET /items',
    allowed: ALL,
    ok: 200,
    call: async () => ({ method: 'get', path: '/api/v1/items' }),
  },
  {
    route: 'GET /items/:id',
    allowed: ALL,
    ok: 200,
    call: async (w) => ({ method: 'get', path: `/api/v1/items/${(await w.item()).id}` }),
  },
  {
    route: 'POST /items',
    allowed: STAFF_UP,
    ok: 201,
    call: async () => ({ method: 'post', path: '/api/v1/items', body: { title: 'Hello' } }),
  },
  // Staff may change their own items: the item is created by the caller where the caller may create.
  {
    route: 'PATCH /items/:id',
    allowed: STAFF_UP,
    ok: 200,
    call: async (w, role) => ({
      method: 'patch',
      path: `/api/v1/items/${(await w.item(role === 'auditor' ? 'staff' : role)).id}`,
      body: { title: 'Changed' },
    }),
  },
  {
    route: 'DELETE /items/:id',
    allowed: STAFF_UP,
    ok: 204,
    call: async (w, role) => ({
      method: 'delete',
      path: `/api/v1/items/${(await w.item(role === 'auditor' ? 'staff' : role)).id}`,
    }),
  },
  {
    route: 'GET /audit-logs',
    allowed: ['admin', 'auditor'],
    ok: 200,
    call: async () => ({ method: 'get', path: '/api/v1/audit-logs' }),
  },
  {
    route: 'GET /audit-logs/export.csv',
    allowed: ['admin', 'auditor'],
    ok: 200,
    call: async () => ({ method: 'get', path: '/api/v1/audit-logs/export.csv?entity=product' }),
  },
  {
    route: 'GET /audit-logs/:id',
    allowed: ['admin', 'auditor'],
    ok: 200,
    call: async (w) => {
      const product = await w.product();
      const { body } = await w.as('admin').get(`/api/v1/audit-logs?entityId=${product.id}`);
      return { method: 'get', path: `/api/v1/audit-logs/${body.data[0].id}` };
    },
  },
];

describe('every business route with every role', () => {
  let t: TestApp;
  let w: TenantWorld;
  let auditCount: () => Promise<number>;

  beforeAll(async () => {
    t = await startTestApp();
    w = await TenantWorld.create(t, 'roles-co');
    const tenantDb = (
      await queryServer<{ db_name: string }>(
        t.coreUrl,
        `SELECT db_name FROM organizations WHERE slug = 'roles-co'`,
      )
    )[0].db_name;
    auditCount = async () =>
      Number(
        (
          await queryServer<{ n: string }>(
            new URL(`/${tenantDb}`, t.coreUrl).toString(),
            'SELECT count(*) AS n FROM audit_logs',
          )
        )[0].n,
      );
  }, 120_000);
  afterAll(() => t?.close());

  const table = CASES.flatMap((c) =>
    ROLES.map((role) => [c.route, role, c.allowed.includes(role) ? 'allowed' : 'forbidden', c] as const),
  );

  it.each(table)('%s as %s: %s', async (_route, role, expected, c) => {
    const call = await c.call(w, role);
    const before = expected === 'forbidden' ? await auditCount() : 0;
    const api = w.as(role);
    const res =
      call.method === 'get' || call.method === 'delete'
        ? await api[call.method](call.path)
        : await api[call.method](call.path, call.body);
    if (expected === 'allowed') {
      expect({ status: res.status, body: res.status >= 400 ? res.body : undefined }).toEqual({
        status: c.ok,
        body: undefined,
      });
    } else {
      expectProblem(res, 403, 'FORBIDDEN');
      // Decided before any work: nothing was written.
      expect(await auditCount()).toBe(before);
    }
  });
});
