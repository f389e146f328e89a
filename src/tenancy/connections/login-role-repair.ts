import { Logger } from '@nestjs/common';
import { withAdminClient } from '../../database/postgres-admin.js';
import { ensureLoginRole } from '../databases/tenant-database.admin.js';
import { tenantIdentity, tenantRolePassword } from '../catalog/tenant-identity.js';

/** A tenant's login role is repaired at most this often. */
const REPAIR_EVERY_MS = 60_000;

/**
 * Postgres lets any role change its own password (`ALTER ROLE … PASSWORD`), so a tenant's login role could
 * lock the service out of its own database. The service's answer: a connect refused for the password
 * (28P01) makes it reset that role's derived password as admin — only when the role exists on that server
 * (a role dropped by a move stays dropped), at most once a minute per tenant, logged as an alert — and try
 * the connect once more.
 */
export class LoginRoleRepair {
  private readonly logger = new Logger('TenantLoginRoleRepair');
  private readonly lastRepair = new Map<string, number>();

  constructor(private readonly dbSecret: string) {}

  /** True when the role's password was reset now (the caller connects once more). */
  async repair(adminUrl: string, tenantId: string): Promise<boolean> {
    const now = Date.now();
    const last = this.lastRepair.get(tenantId);
    if (last !== undefined && now - last < REPAIR_EVERY_MS) return false;
    this.lastRepair.set(tenantId, now);
    if (this.lastRepair.size > 10_000) this.lastRepair.delete(this.lastRepair.keys().next().value!);
    const { role } = tenantIdentity(tenantId);
    const repaired = await withAdminClient(adminUrl, async (admin) => {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (!rowCount) return false;
      await ensureLoginRole(admin, role, tenantRolePassword(this.dbSecret, tenantId));
      return true;
    }).catch(() => false);
    if (repaired)
      this.logger.error(
        { alert: 'tenant-login-role-repaired', tenantId, role },
        'a tenant login role refused its derived password: the password was reset as admin',
      );
    return repaired;
  }
}
