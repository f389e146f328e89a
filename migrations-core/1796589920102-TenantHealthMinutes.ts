import { MigrationInterface, QueryRunner } from 'typeorm';

export class TenantHealthMinutes1796589920102 implements MigrationInterface {
  name = 'TenantHealthMinutes1796589920102';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tenant_health_minutes" ("tenant_id" uuid NOT NULL, "minute" TIMESTAMP WITH TIME ZONE NOT NULL, "instance" character varying(64) NOT NULL, "requests" integer NOT NULL DEFAULT '0', "errors" integer NOT NULL DEFAULT '0', "limited" integer NOT NULL DEFAULT '0', "unavailable" integer NOT NULL DEFAULT '0', "waits" integer NOT NULL DEFAULT '0', "cold_connects" integer NOT NULL DEFAULT '0', "latency" integer array NOT NULL, CONSTRAINT "PK_078b2a20cb68e88e07983c931ec" PRIMARY KEY ("tenant_id", "minute", "instance"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_tenant_health_minutes_minute" ON "tenant_health_minutes"  ("minute") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_tenant_health_minutes_minute"`);
    await queryRunner.query(`DROP TABLE "tenant_health_minutes"`);
  }
}
