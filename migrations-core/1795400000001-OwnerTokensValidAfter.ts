import { MigrationInterface, QueryRunner } from 'typeorm';

/** Access tokens of an owner issued before this second no longer count (logout, password reset). */
export class OwnerTokensValidAfter1795400000001 implements MigrationInterface {
  name = 'OwnerTokensValidAfter1795400000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "owners" ADD "tokens_valid_after" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "owners" DROP COLUMN "tokens_valid_after"`);
  }
}
