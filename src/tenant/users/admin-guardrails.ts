import { EntityManager } from 'typeorm';
import { TenantAuthErrors } from '../auth/tenant-auth.errors.js';
import type { User } from '../identity/user.entity.js';

/**
 * An organization always keeps a way in: its owner's admin user is never demoted or deactivated
 * (OWNER_PROTECTED), and the last active admin never stops being one (LAST_ADMIN). Runs in the writing
 * transaction; the active admins are locked, so two admins demoting each other at once cannot both pass.
 */
export async function keepAdminsInCharge(
  m: EntityManager,
  target: User,
  change: { role?: string; isActive?: boolean },
): Promise<void> {
  const losesAdmin =
    target.role === 'admin' &&
    target.isActive &&
    ((change.role !== undefined && change.role !== 'admin') || change.isActive === false);
  if (!losesAdmin) return;
  if (target.isOwner) throw TenantAuthErrors.ownerProtected();
  const admins: { id: string }[] = await m.query(
    `SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE`,
  );
  if (admins.length <= 1) throw TenantAuthErrors.lastAdmin();
}
