import { readFileSync, rmSync } from 'node:fs';
import { AuditLogService } from '../../src/tenant/audit/audit-log.service.js';
import { WarehouseService } from '../../src/tenant/catalogue/warehouse.service.js';
import { type Medium, startMedium } from '../support/medium.js';
import { DomainErrorCode } from '../../src/tenant/errors/error-codes.js';

/** The audit log as the domain writes it, read and exported directly in a tenant scope. */
describe('audit log service (medium)', () => {
  let md: Medium;
  beforeAll(async () => {
    md = await startMedium();
  });
  afterAll(() => md.close());

  const auditLog = () => md.get(AuditLogService);

  it('records who changed what, filterable by actor and action', async () => {
    const manager = await md.userWith('manager');
    const w = await md.inTenant(() => md.get(WarehouseService).create(manager, { name: 'Depot' }));
    await md.inTenant(() => md.get(WarehouseService).update(manager, w.id, { name: 'Depot 2' }));
    const updates = await md.inTenant(() => auditLog().list({ actorId: manager.user.id, action: 'update' }));
    expect(updates.data).toHaveLength(1);
    expect(updates.data[0]).toMatchObject({ entity: 'warehouse', entityId: w.id, actorId: manager.user.id });
    const entry = await md.inTenant(() => auditLog().get(updates.data[0].id));
    expect(JSON.stringify(entry.changes)).toContain('Depot 2');
    await expect(
      md.inTenant(() => auditLog().get('00000000-0000-4000-8000-000000000000')),
    ).rejects.toMatchObject({
      code: DomainErrorCode.AUDIT_LOG_NOT_FOUND,
    });
  });

  it('exports the filtered entries as CSV, oldest first', async () => {
    const spooled = await md.inTenant(() => auditLog().exportCsv({ entity: 'warehouse' }));
    const lines = readFileSync(spooled.path, 'utf8').trim().split('\n');
    rmSync(spooled.dir, { recursive: true, force: true });
    expect(lines[0]).toBe('id,created_at,actor_id,action,entity,entity_id,request_id,changes');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['create', 'update']);
  });
});
