import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Since when an organization's database has been on its server (set when a move switches it): a
 * point-in-time restore reaches back only that far, the server's archive holding nothing of it before.
 */
export class OrganizationPlacedAt1796700000000 implements MigrationInterface {
  name = 'OrganizationPlacedAt1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" ADD "placed_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "placed_at"`);
  }
}
