import { MigrationInterface, QueryRunner } from 'typeorm';

export class TenantRecentErrors1796598964818 implements MigrationInterface {
  name = 'TenantRecentErrors1796598964818';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tenant_recent_errors" ("id" BIGSERIAL NOT NULL, "tenant_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "method" character varying(10) NOT NULL, "route" character varying(200) NOT NULL, "status" integer NOT NULL, "code" character varying(60), CONSTRAINT "PK_cd77c3233ca0022875b8ae8d03f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_tenant_recent_errors_tenant_at" ON "tenant_recent_errors"  ("tenant_id", "at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_tenant_recent_errors_tenant_at"`);
    await queryRunner.query(`DROP TABLE "tenant_recent_errors"`);
  }
}
