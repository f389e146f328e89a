import { MigrationInterface, QueryRunner } from 'typeorm';

/** Fleet migration runs in waves and each tenant's place and result in one (FleetRuns). */
export class FleetRuns1796596782096 implements MigrationInterface {
  name = 'FleetRuns1796596782096';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "fleet_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "status" character varying(16) NOT NULL, "created_by" character varying(254) NOT NULL, "target_version" character varying(200), "max_failure_rate" double precision NOT NULL, "concurrency" integer NOT NULL, "plan" jsonb NOT NULL, "paused_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_11e2ab73fd5b0f153d2c5aafdd9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_fleet_runs_created" ON "fleet_runs"  ("created_at") `);
    await queryRunner.query(
      `CREATE TABLE "fleet_run_tenants" ("run_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "slug" character varying(40) NOT NULL, "wave" integer NOT NULL, "wave_name" character varying(16) NOT NULL, "result" character varying(16) NOT NULL DEFAULT 'pending', "from_version" character varying(200), "to_version" character varying(200), "error" text, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e2667a68adaca6586e00036c0c8" PRIMARY KEY ("run_id", "tenant_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_fleet_run_tenants_wave" ON "fleet_run_tenants"  ("run_id", "wave") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_fleet_run_tenants_wave"`);
    await queryRunner.query(`DROP TABLE "fleet_run_tenants"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fleet_runs_created"`);
    await queryRunner.query(`DROP TABLE "fleet_runs"`);
  }
}
