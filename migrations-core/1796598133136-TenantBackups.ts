import { MigrationInterface, QueryRunner } from 'typeorm';

export class TenantBackups1796598133136 implements MigrationInterface {
  name = 'TenantBackups1796598133136';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tenant_backups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "slug" character varying(40) NOT NULL, "path" text NOT NULL, "bytes" bigint NOT NULL, "schema_version" character varying(200), "verified_at" TIMESTAMP WITH TIME ZONE, "verify_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_46af341c4625d1feca45397c56c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_tenant_backups_tenant_created" ON "tenant_backups"  ("tenant_id", "created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_tenant_backups_tenant_created"`);
    await queryRunner.query(`DROP TABLE "tenant_backups"`);
  }
}
