import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security hardening: which user is the organization's owner (protected from demotion, follows the
 * owner's core account), the instant before which a user's access tokens no longer count, and who wrote a
 * purchase request's lines (nobody approves what they wrote).
 */
export class OwnerFlagSessionsAndEditors1795400000000 implements MigrationInterface {
  name = 'OwnerFlagSessionsAndEditors1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "is_owner" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "users" ADD "tokens_valid_after" TIMESTAMP WITH TIME ZONE`);
    // The owner is the organization's first admin: the one onboarding seeded.
    await queryRunner.query(
      `UPDATE "users" SET "is_owner" = true
        WHERE "id" = (SELECT "id" FROM "users" WHERE "role" = 'admin' ORDER BY "created_at", "id" LIMIT 1)`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchase_requests" ADD "editor_ids" uuid array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`UPDATE "purchase_requests" SET "editor_ids" = ARRAY["requester_id"]`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "purchase_requests" DROP COLUMN "editor_ids"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "tokens_valid_after"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "is_owner"`);
  }
}
