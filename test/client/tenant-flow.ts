import { check, clientFor, done, failed, type FlowContext, ok } from './client-kit.js';
import type { OwnerSession } from './owner-flow.js';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** Signs in to the organization: the owner's core token for its admin's, and a manager of its own. */
export async function tenantSessions(ctx: FlowContext, owner: OwnerSession) {
  const tenant = owner.slug;
  const exchange = clientFor(ctx, { token: owner.coreToken, tenant });
  const adminPair = ok(await exchange.POST('/api/v1/auth/exchange'));
  const admin = clientFor(ctx, { token: adminPair.accessToken, tenant });
  const me = ok(await admin.GET('/api/v1/users/me'));
  check(me.role === 'admin', 'owner is admin');
  const own = ok(await admin.GET('/api/v1/organization'));
  check(own.slug === tenant && own.features.purchasing, 'own organization');
  const email = `manager@${tenant}.example.com`;
  const password = 'tall blue shelves count 42';
  ok(await admin.POST('/api/v1/users', { body: { email, password, name: 'Manager', role: 'manager' } }), 201);
  const anonymous = clientFor(ctx, { tenant });
  failed(
    await anonymous.POST('/api/v1/auth/login', { body: { email, password: 'not it at all 42' } }),
    401,
    'INVALID_CREDENTIALS',
  );
  const managerPair = ok(await anonymous.POST('/api/v1/auth/login', { body: { email, password } }));
  const manager = clientFor(ctx, { token: managerPair.accessToken, tenant });
  const users = ok(await admin.GET('/api/v1/users', { params: { query: { includeTotal: true } } }));
  check(users.total === 2, 'two users');
  failed(await manager.GET('/api/v1/users'), 403, 'FORBIDDEN');
  failed(await clientFor(ctx, { tenant }).GET('/api/v1/users/me'), 401, 'INVALID_TOKEN');
  failed(
    await clientFor(ctx, { token: adminPair.accessToken, tenant: 'no-such-tenant' }).GET('/api/v1/users/me'),
    404,
    'TENANT_NOT_FOUND',
  );
  failed(
    await clientFor(ctx, { token: adminPair.accessToken }).GET('/api/v1/users/me'),
    400,
    'TENANT_HEADER_MISSING',
  );
  return { admin, manager, adminPair, managerPair, anonymous, adminId: me.id };
}

type Sessions = Awaited<ReturnType<typeof tenantSessions>>;

/** The catalogue, stock, a purchase request through receipt, items, audit, files and events, as a client would. */
export async function tenantFlow(ctx: FlowContext, s: Sessions): Promise<void> {
  const { admin, manager } = s;
  const supplier = ok(
    await admin.POST('/api/v1/suppliers', { body: { name: 'Acme Supply', email: 'sales@acme.example' } }),
    201,
  );
  const main = ok(
    await admin.POST('/api/v1/warehouses', { body: { name: 'Main', location: 'Dock 1' } }),
    201,
  );
  const overflow = ok(await admin.POST('/api/v1/warehouses', { body: { name: 'Overflow' } }), 201);
  const body = {
    sku: 'CL-1',
    name: 'Client widget',
    category: 'widgets',
    priceCents: 250,
    reorderLevel: 5,
    supplierId: supplier.id,
  };
  const product = ok(await admin.POST('/api/v1/products', { body }), 201);
  check(product.category === 'widgets' && product.priceCents === 250, 'product fields');
  failed(await admin.POST('/api/v1/products', { body }), 409, 'SKU_TAKEN');
  const invalid = failed(
    await admin.POST('/api/v1/products', { body: { sku: 'CL-2', name: '' } }),
    400,
    'VALIDATION_FAILED',
  );
  check(
    (invalid.errors ?? []).some((e) => e.field === 'name'),
    'name is the invalid field',
  );
  failed(
    await manager.DELETE('/api/v1/products/{id}', { params: { path: { id: product.id } } }),
    403,
    'FORBIDDEN',
  );
  failed(
    await admin.GET('/api/v1/products/{id}', { params: { path: { id: NO_SUCH_ID } } }),
    404,
    'PRODUCT_NOT_FOUND',
  );
  const widgets = ok(
    await admin.GET('/api/v1/products', {
      params: { query: { category: 'widgets', includeTotal: true, limit: 10 } },
    }),
  );
  check(
    widgets.total === 1 && widgets.data[0].id === product.id && widgets.nextCursor === null,
    'category filter',
  );
  ok(
    await admin.PATCH('/api/v1/products/{id}', {
      params: { path: { id: product.id } },
      body: { description: 'Blue' },
    }),
  );
  ok(await admin.GET('/api/v1/suppliers', { params: { query: { q: 'Acme' } } }));
  ok(await admin.GET('/api/v1/warehouses/{id}', { params: { path: { id: main.id } } }));

  const moveIn = {
    productId: product.id,
    warehouseId: main.id,
    type: 'in' as const,
    quantity: 10,
    reference: 'opening',
  };
  const moved = ok(await manager.POST('/api/v1/stock-movements', { body: moveIn }), 201);
  ok(
    await manager.POST('/api/v1/stock-movements', {
      body: { ...moveIn, type: 'out', quantity: 3, reference: 'sale' },
    }),
    201,
  );
  failed(
    await manager.POST('/api/v1/stock-movements', { body: { ...moveIn, type: 'out', quantity: 1000 } }),
    409,
    'INSUFFICIENT_STOCK',
  );
  ok(await admin.GET('/api/v1/stock-movements/{id}', { params: { path: { id: moved.id } } }));

  const pr = ok(
    await admin.POST('/api/v1/purchase-requests', {
      body: {
        lines: [
          { productId: product.id, quantity: 4, unitPriceCents: 250 },
          { productId: product.id, quantity: 2 },
        ],
      },
    }),
    201,
  );
  check(
    pr.status === 'draft' && pr.lines[0].unitPriceCents === 250 && pr.lines.length === 2,
    'draft with numeric prices',
  );
  const id = { path: { id: pr.id } };
  check(
    ok(await admin.POST('/api/v1/purchase-requests/{id}/submit', { params: id })).submittedAt !== null,
    'submittedAt',
  );
  failed(await admin.POST('/api/v1/purchase-requests/{id}/approve', { params: id }), 409, 'SELF_APPROVAL');
  failed(
    await manager.POST('/api/v1/purchase-requests/{id}/order', { params: id }),
    409,
    'INVALID_TRANSITION',
  );
  const approved = ok(await manager.POST('/api/v1/purchase-requests/{id}/approve', { params: id }));
  check(approved.approvedBy !== null && approved.approvedAt !== null, 'approval recorded');
  ok(await manager.POST('/api/v1/purchase-requests/{id}/order', { params: id }));
  const split = [{ lineId: pr.lines[1].id, warehouseId: overflow.id }];
  const received = ok(
    await manager.POST('/api/v1/purchase-requests/{id}/receive', {
      params: id,
      body: { warehouseId: main.id, lines: split },
    }),
  );
  check(received.status === 'received' && received.receivedBy !== null, 'received');
  const requests = ok(
    await manager.GET('/api/v1/purchase-requests', {
      params: { query: { status: 'received', order: 'desc' } },
    }),
  );
  check(requests.data[0].lines.length === 2, 'list carries lines');

  const movements = ok(
    await admin.GET('/api/v1/stock-movements', {
      params: { query: { productId: product.id, warehouseId: main.id, order: 'asc', includeTotal: true } },
    }),
  );
  const net = movements.data.reduce((n, m) => n + (m.type === 'out' ? -m.quantity : m.quantity), 0);
  const levels = ok(
    await admin.GET('/api/v1/stock-levels', { params: { query: { productId: product.id } } }),
  );
  const mainLevel = levels.data.find((l) => l.warehouseId === main.id);
  check(
    movements.total === 3 && mainLevel?.quantity === net && net === 11,
    `ledger sums to the level (${net})`,
  );
  check(levels.data.find((l) => l.warehouseId === overflow.id)?.quantity === 2, 'split receipt');
  check(mainLevel?.productName === 'Client widget', 'level names its product');
  ok(await admin.GET('/api/v1/stock-levels/low'));

  const item = ok(
    await manager.POST('/api/v1/items', {
      body: { title: 'Client note', body: 'blue widgets wanted', tags: ['client'] },
    }),
    201,
  );
  const found = ok(await manager.GET('/api/v1/items', { params: { query: { q: 'widgets' } } }));
  check(
    found.data.some((i) => i.id === item.id),
    'search finds the item',
  );
  ok(
    await manager.PATCH('/api/v1/items/{id}', {
      params: { path: { id: item.id } },
      body: { tags: ['client', 'done'] },
    }),
  );
  done(await manager.DELETE('/api/v1/items/{id}', { params: { path: { id: item.id } } }));
  failed(
    await manager.GET('/api/v1/items/{id}', { params: { path: { id: item.id } } }),
    404,
    'ITEM_NOT_FOUND',
  );

  const audit = ok(
    await admin.GET('/api/v1/audit-logs', {
      params: { query: { entity: 'product', entityId: product.id, order: 'desc', includeTotal: true } },
    }),
  );
  check(audit.total === 2 && audit.data[0].action === 'update', 'audit of the product, newest first');
  ok(await admin.GET('/api/v1/audit-logs/{id}', { params: { path: { id: audit.data[0].id } } }));
  failed(await manager.GET('/api/v1/audit-logs'), 403, 'FORBIDDEN');

  const events = ok(
    await admin.GET('/api/v1/events/log', { params: { query: { type: 'stock.moved', order: 'asc' } } }),
  );
  check(events.data.length === 4, `a stock.moved event per movement (${events.data.length})`);
  await filesFlow(ctx, s);
}

async function filesFlow(ctx: FlowContext, s: Sessions): Promise<void> {
  const { manager } = s;
  const upload = await manager.POST('/api/v1/files', {
    body: { file: 'hello from the client' },
    bodySerializer: (b) => {
      const form = new FormData();
      form.append('file', new Blob([b.file], { type: 'text/plain' }), 'hello.txt');
      return form;
    },
  });
  const file = ok(upload, 201);
  const path = { path: { id: file.id } };
  check(ok(await manager.GET('/api/v1/files/{id}', { params: path })).size === 21, 'file size');
  const text = await manager.GET('/api/v1/files/{id}/content', { params: path, parseAs: 'text' });
  check(ok(text) === 'hello from the client', 'content');
  const range = await manager.GET('/api/v1/files/{id}/content', {
    params: path,
    parseAs: 'text',
    headers: { range: 'bytes=0-4' },
  });
  check(range.response.status === 206 && range.data === 'hello', 'a range');
  const link = new URL(ok(await manager.GET('/api/v1/files/{id}/url', { params: path })).url, ctx.baseUrl);
  const query = {
    t: link.searchParams.get('t') ?? '',
    e: link.searchParams.get('e') ?? '',
    s: link.searchParams.get('s') ?? '',
  };
  const signed = await clientFor(ctx).GET('/api/v1/signed-files/{id}', {
    params: { path: { id: file.id }, query },
    parseAs: 'text',
  });
  check(signed.data === 'hello from the client', 'signed link');
  failed(
    await clientFor(ctx).GET('/api/v1/signed-files/{id}', {
      params: { path: { id: file.id }, query: { ...query, s: 'x' } },
    }),
    403,
    'SIGNED_URL_INVALID',
  );
  done(await manager.DELETE('/api/v1/files/{id}', { params: path }));
  failed(await manager.GET('/api/v1/files/{id}', { params: path }), 404, 'FILE_NOT_FOUND');
  done(await manager.POST('/api/v1/auth/logout', { body: { refreshToken: s.managerPair.refreshToken } }));
  failed(
    await s.anonymous.POST('/api/v1/auth/refresh', { body: { refreshToken: s.managerPair.refreshToken } }),
    401,
    'INVALID_REFRESH_TOKEN',
  );
}
