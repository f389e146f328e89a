import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The core database is reachable only by its owner (the service's own role): tenant roles — whose
 * passwords live in every instance — cannot even connect to it (docs/reference/security.md).
 */
export class CloseCoreToPublic1795400000002 implements MigrationInterface {
  name = 'CloseCoreToPublic1795400000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DO $$ BEGIN EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DO $$ BEGIN EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC', current_database()); END $$`,
    );
  }
}
