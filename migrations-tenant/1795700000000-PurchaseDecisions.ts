import { MigrationInterface, QueryRunner } from 'typeorm';

/** When each decision on a purchase request was taken, and by whom (not only in the audit log). */
export class PurchaseDecisions1795700000000 implements MigrationInterface {
  name = 'PurchaseDecisions1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "purchase_requests"
         ADD "submitted_at" TIMESTAMP WITH TIME ZONE,
         ADD "approved_at" TIMESTAMP WITH TIME ZONE,
         ADD "approved_by" uuid,
         ADD "rejected_at" TIMESTAMP WITH TIME ZONE,
         ADD "rejected_by" uuid,
         ADD "ordered_at" TIMESTAMP WITH TIME ZONE,
         ADD "received_at" TIMESTAMP WITH TIME ZONE,
         ADD "received_by" uuid`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "purchase_requests"
         DROP COLUMN "received_by", DROP COLUMN "received_at", DROP COLUMN "ordered_at",
         DROP COLUMN "rejected_by", DROP COLUMN "rejected_at", DROP COLUMN "approved_by",
         DROP COLUMN "approved_at", DROP COLUMN "submitted_at"`,
    );
  }
}
