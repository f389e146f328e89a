import { MigrationInterface, QueryRunner } from 'typeorm';

/** Files of the tenant (bytes in the file store, metadata here) and attachments on three record kinds. */
export class FilesAndAttachments1795600000001 implements MigrationInterface {
  name = 'FilesAndAttachments1795600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(255) NOT NULL, "size" bigint NOT NULL, "content_type" character varying(100) NOT NULL, "sha256" character(64) NOT NULL, "uploader_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_files" PRIMARY KEY ("id"))`,
    );
    for (const table of ['products', 'items', 'purchase_requests'])
      await queryRunner.query(`ALTER TABLE "${table}" ADD "attachment_ids" uuid array NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['products', 'items', 'purchase_requests'])
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "attachment_ids"`);
    await queryRunner.query(`DROP TABLE "files"`);
  }
}
