import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When an organization was deleted under a grace period (`TENANT_DELETE_GRACE_DAYS`): status `deleted`, its
 * database kept until the purge job drops it. The partial index serves the purge's scan.
 */
export class OrganizationDeletionGrace1795600000000 implements MigrationInterface {
  name = 'OrganizationDeletionGrace1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "IDX_organizations_deleted" ON "organizations" ("deleted_at") WHERE "status" = 'deleted'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_organizations_deleted"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "deleted_at"`);
  }
}
