import { MigrationInterface, QueryRunner } from 'typeorm';

export class Operators1796588241505 implements MigrationInterface {
  name = 'Operators1796588241505';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "operator_actions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "operator_id" uuid, "actor" character varying(254) NOT NULL, "action" character varying(40) NOT NULL, "tenant_slug" character varying(40), "result" character varying(40) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0c491b241eaeae5f0f7af4bfdd4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_operator_actions_created" ON "operator_actions"  ("created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "operators" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "password_hash" character varying(72) NOT NULL, "must_change_password" boolean NOT NULL DEFAULT true, "disabled_at" TIMESTAMP WITH TIME ZONE, "tokens_valid_after" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3d02b3692836893720335a79d1b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_operators_email" ON "operators"  ("email") `);
    await queryRunner.query(
      `CREATE TABLE "operator_refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "family_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rotated_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "operator_id" uuid NOT NULL, CONSTRAINT "PK_34ffa46c9b07ecb8964ba5b11c8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_operator_refresh_tokens_hash" ON "operator_refresh_tokens"  ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_operator_refresh_tokens_operator" ON "operator_refresh_tokens"  ("operator_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_operator_refresh_tokens_family" ON "operator_refresh_tokens"  ("family_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "operator_refresh_tokens" ADD CONSTRAINT "FK_operator_refresh_tokens_operator" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "operator_refresh_tokens" DROP CONSTRAINT "FK_operator_refresh_tokens_operator"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_operator_refresh_tokens_family"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_operator_refresh_tokens_operator"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_operator_refresh_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "operator_refresh_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_operators_email"`);
    await queryRunner.query(`DROP TABLE "operators"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_operator_actions_created"`);
    await queryRunner.query(`DROP TABLE "operator_actions"`);
  }
}
