import { MigrationInterface, QueryRunner } from 'typeorm';

export class AllowSpareOrganizations1795347348384 implements MigrationInterface {
  name = 'AllowSpareOrganizations1795347348384';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_organizations_owner"`);
    await queryRunner.query(`ALTER TABLE "organizations" ALTER COLUMN "owner_id" DROP NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_organizations_owner" ON "organizations"  ("owner_id", "created_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_organizations_owner"`);
    await queryRunner.query(`ALTER TABLE "organizations" ALTER COLUMN "owner_id" SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_organizations_owner" ON "organizations" ("owner_id", "created_at", "id") `,
    );
  }
}
