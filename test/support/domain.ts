import type { HttpClient, HttpResponse } from './http.js';
import { adminToken, onboard, Owner, PASSWORD, tenantHeaders, verifiedOwner } from './tenants.js';
import type { TestApp } from './test-app.js';

export const ROLES = ['admin', 'manager', 'staff', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** A tenant with one signed-in user per role, and shortcuts to call its API as each of them. */
export class TenantWorld {
  readonly tokens = {} as Record<Role, string>;
  readonly ids = {} as Record<Role, string>;
  private counter = 0;

  private constructor(
    readonly http: HttpClient,
    readonly slug: string,
    readonly owner: Owner,
  ) {}

  static async create(t: TestApp, slug: string, ownerEmail = `${slug}@example.com`): Promise<TenantWorld> {
    const owner = await verifiedOwner(t, ownerEmail);
    await onboard(t, owner, slug);
    const world = new TenantWorld(t.http, slug, owner);
    world.tokens.admin = await adminToken(t, owner, slug);
    world.ids.admin = (await world.as('admin').get('/api/v1/users/me')).body.id;
    for (const role of ['manager', 'staff', 'auditor'] as const) {
      const email = `${role}@${slug}.example.com`;
      const created = await world
        .as('admin')
        .post('/api/v1/users', { email, password: PASSWORD, name: role, role });
      if (created.status !== 201) throw new Error(`user ${role}: ${created.status} ${created.text}`);
      world.ids[role] = created.body.id;
      const login = await t.http.post(
        '/api/v1/auth/login',
        { email, password: PASSWORD },
        { headers: tenantHeaders(slug) },
      );
      world.tokens[role] = login.body.accessToken;
    }
    return world;
  }

  /** Calls as a role: `world.as('staff').post(path, body)`. */
  as(role: Role) {
    const options = { token: this.tokens[role], headers: tenantHeaders(this.slug) };
    return {
      get: (path: string) => this.http.get(path, options),
      post: (path: string, body?: unknown) => this.http.post(path, body, options),
      patch: (path: string, body?: unknown) => this.http.patch(path, body, options),
      delete: (path: string) => this.http.delete(path, undefined, options),
    };
  }

  unique(prefix: string): string {
    return `${prefix}-${++this.counter}-${Math.random().toString(36).slice(2, 7)}`;
  }

  async created(res: Promise<HttpResponse>): Promise<any> {
    const r = await res;
    if (r.status !== 201) throw new Error(`expected 201, got ${r.status}: ${r.text}`);
    return r.body;
  }

  supplier() {
    return this.created(this.as('admin').post('/api/v1/suppliers', { name: this.unique('Supplier') }));
  }

  warehouse() {
    return this.created(this.as('admin').post('/api/v1/warehouses', { name: this.unique('Warehouse') }));
  }

  product(extra: Record<string, unknown> = {}) {
    return this.created(
      this.as('admin').post('/api/v1/products', {
        sku: this.unique('SKU'),
        name: this.unique('Product'),
        ...extra,
      }),
    );
  }

  async stockIn(productId: string, warehouseId: string, quantity: number) {
    return this.created(
      this.as('admin').post('/api/v1/stock-movements', { productId, warehouseId, type: 'in', quantity }),
    );
  }

  /** A purchase request by staff, moved along to `status`. */
  /** A request of `requester` (staff by default), taken to `status`. */
  async purchaseRequest(
    status: 'draft' | 'submitted' | 'approved' | 'ordered' = 'draft',
    requester: 'admin' | 'manager' | 'staff' = 'staff',
  ) {
    const product = await this.product();
    const pr = await this.created(
      this.as(requester).post('/api/v1/purchase-requests', {
        lines: [{ productId: product.id, quantity: 3 }],
      }),
    );
    const steps: [string, Role][] = [
      ['submit', requester],
      ['approve', 'manager'],
      ['order', 'manager'],
    ];
    const order = ['draft', 'submitted', 'approved', 'ordered'];
    for (const [step, role] of steps.slice(0, order.indexOf(status))) {
      const res = await this.as(role).post(`/api/v1/purchase-requests/${pr.id}/${step}`);
      if (res.status !== 200) throw new Error(`${step}: ${res.status} ${res.text}`);
    }
    return { ...pr, product };
  }

  item(role: Role = 'staff') {
    return this.created(
      this.as(role).post('/api/v1/items', { title: this.unique('Item'), body: 'text', tags: ['demo'] }),
    );
  }
}
