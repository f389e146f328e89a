import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An operator action names its object when it is not a tenant (`create <email>`): room for any address. In
 * place (TypeORM's generator drops and re-adds the column, which would lose the audit trail).
 */
export class OperatorActionLength1796601318185 implements MigrationInterface {
  name = 'OperatorActionLength1796601318185';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "operator_actions" ALTER COLUMN "action" TYPE character varying(300)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "operator_actions" ALTER COLUMN "action" TYPE character varying(40) USING left("action", 40)`,
    );
  }
}
