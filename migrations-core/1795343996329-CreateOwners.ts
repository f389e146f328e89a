import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOwners1795343996329 implements MigrationInterface {
  name = 'CreateOwners1795343996329';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "owners" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "name" character varying(100) NOT NULL, "password_hash" character varying(72) NOT NULL, "email_verified_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_42838282f2e6b216301a70b02d6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_owners_email" ON "owners"  ("email") `);
    await queryRunner.query(
      `CREATE TABLE "email_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "purpose" character varying(20) NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_08abb3fa348e894c274a6730d35" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_email_tokens_hash" ON "email_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_email_tokens_owner" ON "email_tokens"  ("owner_id") `);
    await queryRunner.query(
      `CREATE TABLE "owner_refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rotated_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_97e1825a7c304ce9fd2fa00b3e4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_owner_refresh_tokens_hash" ON "owner_refresh_tokens"  ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_owner_refresh_tokens_owner" ON "owner_refresh_tokens"  ("owner_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_owner_refresh_tokens_family" ON "owner_refresh_tokens"  ("family_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "mail_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "recipient" character varying(254) NOT NULL, "subject" character varying(200) NOT NULL, "body" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fecc63c96385bc35a39ccf2a72e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_mail_outbox_due" ON "mail_outbox"  ("next_attempt_at") WHERE sent_at IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "email_tokens" ADD CONSTRAINT "FK_email_tokens_owner" FOREIGN KEY ("owner_id") REFERENCES "owners"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "owner_refresh_tokens" ADD CONSTRAINT "FK_owner_refresh_tokens_owner" FOREIGN KEY ("owner_id") REFERENCES "owners"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "owner_refresh_tokens" DROP CONSTRAINT "FK_owner_refresh_tokens_owner"`,
    );
    await queryRunner.query(`ALTER TABLE "email_tokens" DROP CONSTRAINT "FK_email_tokens_owner"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_mail_outbox_due"`);
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_owner_refresh_tokens_family"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_owner_refresh_tokens_owner"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_owner_refresh_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "owner_refresh_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_email_tokens_owner"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_email_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "email_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_owners_email"`);
    await queryRunner.query(`DROP TABLE "owners"`);
  }
}
