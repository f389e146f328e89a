import pg from 'pg';

export interface SeedUser {
  email: string;
  name: string;
  passwordHash: string;
}

/**
 * The first admin of a new tenant (the owner: same email, same password hash), written on the
 * provisioner's own connection into the new database. Idempotent.
 */
export async function seedAdmin(client: pg.ClientBase, user: SeedUser): Promise<void> {
  await client.query(
    `INSERT INTO users (email, name, password_hash, role, is_owner) VALUES ($1, $2, $3, 'admin', true)
      ON CONFLICT (email) DO NOTHING`,
    [user.email, user.name, user.passwordHash],
  );
}

/**
 * A copy of another organization's users (a restore or a clone) becomes this organization's: refresh
 * tokens are gone and earlier access tokens void (they were signed for the source anyway), the source's
 * owner is an ordinary admin here, and `owner` is the owner's admin user — the user with that email when
 * the copy has one, else a new one. Idempotent.
 */
export async function adoptCopiedUsers(client: pg.ClientBase, owner: SeedUser): Promise<void> {
  await client.query(
    [`DELETE FROM refresh_tokens`, `UPDATE users SET is_owner = false, tokens_valid_after = now()`].join(
      ';\n',
    ),
  );
  await client.query(
    `INSERT INTO users (email, name, password_hash, role, is_owner) VALUES ($1, $2, $3, 'admin', true)
      ON CONFLICT (email) DO UPDATE
        SET role = 'admin', is_owner = true, is_active = true, password_hash = EXCLUDED.password_hash`,
    [owner.email, owner.name, owner.passwordHash],
  );
}
