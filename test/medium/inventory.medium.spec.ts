import type { Actor } from '../../src/tenant/audit/actor.js';
import { ProductService } from '../../src/tenant/catalogue/product.service.js';
import { WarehouseService } from '../../src/tenant/catalogue/warehouse.service.js';
import { StockService } from '../../src/tenant/inventory/stock.service.js';
import { PurchaseRequestService } from '../../src/tenant/purchasing/purchase-request.service.js';
import { type Medium, startMedium } from '../support/medium.js';
import { DomainErrorCode } from '../../src/tenant/errors/error-codes.js';
import { CommonErrorCode } from '../../src/common/errors/error-code.js';

/** Stock movements and purchase requests called directly in a tenant scope on real Postgres. */
describe('inventory and purchasing services (medium)', () => {
  let md: Medium;
  let admin: Actor;
  let manager: Actor;
  let product: string;
  let north: string;
  let south: string;

  const stock = () => md.get(StockService);
  const requests = () => md.get(PurchaseRequestService);
  const level = async (warehouseId: string) => {
    const page = await md.inTenant(() => stock().stockLevels({ productId: product, warehouseId }, false));
    return page.data[0]?.quantity ?? 0;
  };

  beforeAll(async () => {
    md = await startMedium();
    admin = await md.admin();
    manager = await md.userWith('manager');
    const made = await md.inTenant(async () => ({
      product: (await md
        .get(ProductService)
        .create(admin, { sku: 'INV-1', name: 'Pump', reorderLevel: 5 })) as {
        id: string;
      },
      north: (await md.get(WarehouseService).create(admin, { name: 'North' })) as { id: string },
      south: (await md.get(WarehouseService).create(admin, { name: 'South' })) as { id: string },
    }));
    product = made.product.id;
    north = made.north.id;
    south = made.south.id;
  });
  afterAll(() => md.close());

  it('receives, issues and transfers, keeping levels exact', async () => {
    await md.inTenant(() =>
      stock().move(admin, { productId: product, warehouseId: north, type: 'in', quantity: 10 }),
    );
    await md.inTenant(() =>
      stock().move(admin, { productId: product, warehouseId: north, type: 'out', quantity: 3 }),
    );
    await md.inTenant(() =>
      stock().move(admin, {
        productId: product,
        warehouseId: north,
        toWarehouseId: south,
        type: 'transfer',
        quantity: 4,
      }),
    );
    expect(await level(north)).toBe(3);
    expect(await level(south)).toBe(4);
  });

  it('refuses to issue more than is on hand (INSUFFICIENT_STOCK) and changes nothing', async () => {
    const before = await level(south);
    await expect(
      md.inTenant(() =>
        stock().move(admin, { productId: product, warehouseId: south, type: 'out', quantity: 99 }),
      ),
    ).rejects.toMatchObject({
      code: DomainErrorCode.INSUFFICIENT_STOCK,
      detail: `Not enough stock: ${before} available.`,
    });
    expect(await level(south)).toBe(before);
  });

  it('refuses a transfer to the same warehouse and a movement of nothing', async () => {
    await expect(
      md.inTenant(() =>
        stock().move(admin, {
          productId: product,
          warehouseId: north,
          toWarehouseId: north,
          type: 'transfer',
          quantity: 1,
        }),
      ),
    ).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
    await expect(
      md.inTenant(() =>
        stock().move(admin, { productId: product, warehouseId: north, type: 'in', quantity: 0 }),
      ),
    ).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
  });

  it('lists levels at or under the reorder level as low stock', async () => {
    const low = await md.inTenant(() => stock().stockLevels({ productId: product }, true));
    expect(low.data.map((l) => [l.warehouseId, l.quantity]).sort()).toEqual(
      [
        [north, 3],
        [south, 4],
      ].sort(),
    );
  });

  it('runs a purchase request through its life and receives its lines into stock', async () => {
    const before = await level(north);
    const pr = await md.inTenant(() =>
      requests().create(manager, { lines: [{ productId: product, quantity: 6 }] }),
    );
    expect(pr.number).toMatch(/^PR-\d{6}$/);
    await md.inTenant(() => requests().transition(manager, pr.id, 'submit'));
    await expect(md.inTenant(() => requests().transition(manager, pr.id, 'approve'))).rejects.toMatchObject({
      code: DomainErrorCode.SELF_APPROVAL,
    });
    await md.inTenant(() => requests().transition(admin, pr.id, 'approve'));
    await expect(md.inTenant(() => requests().transition(admin, pr.id, 'approve'))).rejects.toMatchObject({
      code: CommonErrorCode.INVALID_TRANSITION,
    });
    await md.inTenant(() => requests().transition(admin, pr.id, 'order'));
    const received = await md.inTenant(() =>
      requests().transition(admin, pr.id, 'receive', { warehouseId: north }),
    );
    expect(received.status).toBe('received');
    expect(await level(north)).toBe(before + 6);
  });

  it('numbers requests without gaps even when a create fails', async () => {
    const first = await md.inTenant(() =>
      requests().create(admin, { lines: [{ productId: product, quantity: 1 }] }),
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(
      md.inTenant(() => requests().create(admin, { lines: [{ productId: missing, quantity: 1 }] })),
    ).rejects.toMatchObject({ code: DomainErrorCode.PRODUCT_NOT_FOUND });
    const next = await md.inTenant(() =>
      requests().create(admin, { lines: [{ productId: product, quantity: 1 }] }),
    );
    expect(Number(next.number.slice(3))).toBe(Number(first.number.slice(3)) + 1);
  });

  it('edits only drafts', async () => {
    const pr = await md.inTenant(() =>
      requests().create(admin, { lines: [{ productId: product, quantity: 2 }] }),
    );
    await md.inTenant(() => requests().transition(admin, pr.id, 'submit'));
    await expect(md.inTenant(() => requests().update(admin, pr.id, { note: 'late' }))).rejects.toMatchObject({
      code: CommonErrorCode.INVALID_TRANSITION,
    });
  });
});
