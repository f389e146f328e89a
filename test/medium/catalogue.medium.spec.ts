import { AuditLogService } from '../../src/tenant/audit/audit-log.service.js';
import { ProductService } from '../../src/tenant/catalogue/product.service.js';
import { SupplierService } from '../../src/tenant/catalogue/supplier.service.js';
import { type Medium, startMedium } from '../support/medium.js';
import { DomainErrorCode } from '../../src/tenant/errors/error-codes.js';

/** Catalogue services called directly in a tenant scope on real Postgres (no HTTP). */
describe('catalogue services (medium)', () => {
  let md: Medium;
  beforeAll(async () => {
    md = await startMedium();
  });
  afterAll(() => md.close());

  const products = () => md.get(ProductService);

  it('creates a product, audits it, and maps a duplicate SKU to SKU_TAKEN', async () => {
    const actor = await md.admin();
    const created = await md.inTenant(() => products().create(actor, { sku: 'MED-1', name: 'Bolt' }));
    expect(created).toMatchObject({ sku: 'MED-1', name: 'Bolt' });
    await expect(
      md.inTenant(() => products().create(actor, { sku: 'MED-1', name: 'Other' })),
    ).rejects.toMatchObject({ code: DomainErrorCode.SKU_TAKEN });
    const log = await md.inTenant(() =>
      md.get(AuditLogService).list({ entity: 'product', entityId: (created as { id: string }).id }),
    );
    expect(log.data.map((e) => e.action)).toEqual(['create']);
  });

  it('refuses a missing supplier with SUPPLIER_NOT_FOUND and writes nothing', async () => {
    const actor = await md.admin();
    const supplierId = '00000000-0000-4000-8000-000000000000';
    await expect(
      md.inTenant(() => products().create(actor, { sku: 'MED-2', name: 'Nut', supplierId })),
    ).rejects.toMatchObject({ code: DomainErrorCode.SUPPLIER_NOT_FOUND });
    const found = await md.inTenant(() => products().list({ q: 'MED-2' }));
    expect(found.data).toHaveLength(0);
  });

  it('soft-deletes: a removed supplier is gone from reads', async () => {
    const actor = await md.admin();
    const supplier = (await md.inTenant(() => md.get(SupplierService).create(actor, { name: 'Acme' }))) as {
      id: string;
    };
    await md.inTenant(() => md.get(SupplierService).remove(actor, supplier.id));
    await expect(md.inTenant(() => md.get(SupplierService).get(supplier.id))).rejects.toMatchObject({
      code: DomainErrorCode.SUPPLIER_NOT_FOUND,
    });
  });

  it('searches by name or SKU, case-insensitively, and pages with a cursor', async () => {
    const actor = await md.admin();
    for (let i = 0; i < 3; i++) {
      await md.inTenant(() => products().create(actor, { sku: `PAGE-${i}`, name: `Widget ${i}` }));
    }
    const first = await md.inTenant(() => products().list({ q: 'widget', limit: 2 }));
    expect(first.data).toHaveLength(2);
    const second = await md.inTenant(() =>
      products().list({ q: 'WIDGET', limit: 2, cursor: first.nextCursor! }),
    );
    expect(second.data).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });

  it('keeps each organization to its own database', async () => {
    await md.onboard('medium-other');
    const elsewhere = await md.inTenant(() => products().list({ q: 'MED-1' }), 'medium-other');
    expect(elsewhere.data).toHaveLength(0);
  });
});
