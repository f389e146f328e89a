import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each organization's settings overrides (limits, feature flags): a key absent takes the environment's
 * default; a limit present as null is unlimited. On the catalog row, so a change reaches every instance
 * through the catalog's NOTIFY trigger.
 */
export class OrganizationSettings1795500000000 implements MigrationInterface {
  name = 'OrganizationSettings1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" ADD "settings" jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "settings"`);
  }
}
