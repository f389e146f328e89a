import { MigrationInterface, QueryRunner } from 'typeorm';

export class TenantActivity1796597705781 implements MigrationInterface {
  name = 'TenantActivity1796597705781';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tenant_activity" ("tenant_id" uuid NOT NULL, "last_request_at" TIMESTAMP WITH TIME ZONE, "database_bytes" bigint, "bytes_measured_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8c2cdf4e6b6da8fa7594b198678" PRIMARY KEY ("tenant_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "tenant_activity"`);
  }
}
