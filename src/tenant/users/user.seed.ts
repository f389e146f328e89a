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
