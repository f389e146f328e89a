import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The engine's catalog names an organization's owner by id only (src/tenancy/core-schema): the foreign key
 * from organizations to this service's owners, made by earlier versions of the catalog's migrations, goes.
 */
export class OrganizationOwnerUnreferenced1795800000000 implements MigrationInterface {
  name = 'OrganizationOwnerUnreferenced1795800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" DROP CONSTRAINT IF EXISTS "FK_organizations_owner"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organizations" ADD CONSTRAINT "FK_organizations_owner" FOREIGN KEY ("owner_id") REFERENCES "owners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }
}
