import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Low-stock crossings, recorded on the level row in the movement's own transaction: `low_alerted` is
 * whether the level was at or under its product's reorder level after the last movement, `low_mailed`
 * whether that low episode's alert is out. Levels already low now count as alerted (no mail for the past).
 */
export class LowStockFlags1795500000000 implements MigrationInterface {
  name = 'LowStockFlags1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "stock_levels" ADD "low_alerted" boolean NOT NULL DEFAULT false, ADD "low_mailed" boolean NOT NULL DEFAULT true`,
    );
    await queryRunner.query(
      `UPDATE "stock_levels" l SET "low_alerted" = true FROM "products" p
        WHERE p.id = l.product_id AND l.quantity <= p.reorder_level`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_stock_levels_unmailed" ON "stock_levels" ("product_id") WHERE "low_alerted" AND NOT "low_mailed"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_stock_levels_unmailed"`);
    await queryRunner.query(`ALTER TABLE "stock_levels" DROP COLUMN "low_mailed", DROP COLUMN "low_alerted"`);
  }
}
