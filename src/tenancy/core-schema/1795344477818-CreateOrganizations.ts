import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The engine's catalog table. `owner_id` is the host's owner id, opaque to the engine: no foreign key into
 * the host's tables (a host that wants one adds it in its own migrations).
 */
export class CreateOrganizations1795344477818 implements MigrationInterface {
  name = 'CreateOrganizations1795344477818';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organizations" ("id" uuid NOT NULL, "name" character varying(100) NOT NULL, "slug" character varying(40) NOT NULL, "owner_id" uuid NOT NULL, "status" character varying(16) NOT NULL, "db_name" character varying(63) NOT NULL, "schema_version" character varying(200), "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_organizations_slug" ON "organizations"  ("slug") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_organizations_owner" ON "organizations"  ("owner_id", "created_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_organizations_owner"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_organizations_slug"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
  }
}
