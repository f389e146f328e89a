import { MigrationInterface, QueryRunner } from 'typeorm';

/** A product's description and category (`?category=` filters on it). */
export class ProductDetails1795700000002 implements MigrationInterface {
  name = 'ProductDetails1795700000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "products" ADD "description" character varying(2000) NOT NULL DEFAULT '', ADD "category" character varying(100)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_products_category" ON "products" ("category", "created_at") WHERE "deleted_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_products_category"`);
    await queryRunner.query(`ALTER TABLE "products" DROP COLUMN "category", DROP COLUMN "description"`);
  }
}
