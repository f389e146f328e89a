import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a write came from: the client's IP (as TRUST_PROXY decides it) and its user agent (truncated). */
export class AuditClientDetails1795700000001 implements MigrationInterface {
  name = 'AuditClientDetails1795700000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_logs" ADD "client_ip" character varying(45), ADD "user_agent" character varying(200)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_logs" DROP COLUMN "user_agent", DROP COLUMN "client_ip"`);
  }
}
