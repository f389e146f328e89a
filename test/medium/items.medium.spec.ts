import { AuditLogService } from '../../src/tenant/audit/audit-log.service.js';
import { ItemService } from '../../src/tenant/items/item.service.js';
import { type Medium, startMedium } from '../support/medium.js';
import { CommonErrorCode } from '../../src/common/errors/error-code.js';
import { DomainErrorCode } from '../../src/tenant/errors/error-codes.js';

/** Items (ownership rule, full-text search, audit), called directly in a tenant scope on real Postgres. */
describe('item service (medium)', () => {
  let md: Medium;
  beforeAll(async () => {
    md = await startMedium();
  });
  afterAll(() => md.close());

  const items = () => md.get(ItemService);

  it('lets staff change only their own items, managers any', async () => {
    const alice = await md.userWith('staff');
    const bob = await md.userWith('staff');
    const manager = await md.userWith('manager');
    const item = await md.inTenant(() => items().create(alice, { title: 'Alice note', tags: ['a'] }));
    await expect(
      md.inTenant(() => items().update(bob, item.id, { title: 'Bob was here' })),
    ).rejects.toMatchObject({
      code: CommonErrorCode.FORBIDDEN,
    });
    const edited = await md.inTenant(() => items().update(manager, item.id, { title: 'Checked' }));
    expect(edited.title).toBe('Checked');
    await md.inTenant(() => items().remove(alice, item.id));
    await expect(md.inTenant(() => items().get(item.id))).rejects.toMatchObject({
      code: DomainErrorCode.ITEM_NOT_FOUND,
    });
    const trail = await md.inTenant(() =>
      md.get(AuditLogService).list({ entity: 'item', entityId: item.id }),
    );
    expect(trail.data.map((e) => e.action)).toEqual(['create', 'update', 'delete']);
  });

  it('ranks full-text matches and pages through them with a rank cursor', async () => {
    const admin = await md.admin();
    await md.inTenant(async () => {
      await items().create(admin, { title: 'pressure valve', body: 'valve valve valve' });
      await items().create(admin, { title: 'valve', body: 'spare part' });
      await items().create(admin, { title: 'unrelated', body: 'nothing here' });
    });
    const first = await md.inTenant(() => items().list({ q: 'valve', limit: 1 }));
    expect(first.data[0].title).toBe('pressure valve');
    const second = await md.inTenant(() => items().list({ q: 'valve', limit: 1, cursor: first.nextCursor! }));
    expect(second.data.map((i) => i.title)).toEqual(['valve']);
    expect(second.nextCursor).toBeNull();
    await expect(md.inTenant(() => items().list({ q: 'valve', cursor: 'bm9wZQ' }))).rejects.toMatchObject({
      code: CommonErrorCode.VALIDATION_FAILED,
    });
  });

  it('filters by tag', async () => {
    const admin = await md.admin();
    await md.inTenant(() => items().create(admin, { title: 'tagged', tags: ['urgent'] }));
    const page = await md.inTenant(() => items().list({ tag: 'urgent' }));
    expect(page.data.map((i) => i.title)).toEqual(['tagged']);
  });
});
