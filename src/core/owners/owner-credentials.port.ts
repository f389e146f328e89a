/**
 * What happens elsewhere when an owner's password changes: the data plane makes the owner's admin user in
 * every organization follow (src/tenant/users/owner-admin.sync.ts). Core declares the port; the composition
 * root binds it, so core never imports the tenant code.
 */
export interface OwnerCredentialsSync {
  /** After the core change committed: carry the new hash over and end the owner's tenant sessions. */
  passwordChanged(ownerId: string, passwordHash: string): Promise<void>;
}

export const OWNER_CREDENTIALS_SYNC = Symbol('OWNER_CREDENTIALS_SYNC');
