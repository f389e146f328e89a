import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInventoryPurchasingItemsAudit1795346717172 implements MigrationInterface {
  name = 'CreateInventoryPurchasingItemsAudit1795346717172';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_logs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "actor_id" uuid, "action" character varying(40) NOT NULL, "entity" character varying(40) NOT NULL, "entity_id" uuid NOT NULL, "changes" jsonb NOT NULL DEFAULT '{}', "request_id" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1bb179d048bbc581caa3b013439" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_logs_action" ON "audit_logs"  ("action", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_logs_actor" ON "audit_logs"  ("actor_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_logs_entity" ON "audit_logs"  ("entity", "entity_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_logs_created" ON "audit_logs"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "suppliers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "email" character varying(254), "phone" character varying(50), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b70ac51766a9e3144f778cfe81e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_suppliers_created" ON "suppliers"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "products" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "sku" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "price_cents" bigint NOT NULL DEFAULT '0', "reorder_level" integer NOT NULL DEFAULT '0', "supplier_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_products_reorder" CHECK ("reorder_level" >= 0), CONSTRAINT "CHK_products_price" CHECK ("price_cents" >= 0), CONSTRAINT "PK_0806c755e0aca124e67c0cf6d7d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_products_supplier" ON "products"  ("supplier_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_products_created" ON "products"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_products_sku" ON "products"  ("sku") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "warehouses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "location" character varying(300), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_56ae21ee2432b2270b48867e4be" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_warehouses_created" ON "warehouses"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "stock_levels" ("product_id" uuid NOT NULL, "warehouse_id" uuid NOT NULL, "quantity" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_stock_levels_quantity" CHECK ("quantity" >= 0), CONSTRAINT "PK_4bedc48e22aaac0a6c29991aeaa" PRIMARY KEY ("product_id", "warehouse_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_stock_levels_warehouse" ON "stock_levels"  ("warehouse_id") `);
    await queryRunner.query(
      `CREATE TABLE "stock_movements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "warehouse_id" uuid NOT NULL, "to_warehouse_id" uuid, "type" character varying(10) NOT NULL, "quantity" integer NOT NULL, "reference" character varying(100), "note" character varying(500), "actor_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_stock_movements_quantity" CHECK ("quantity" >= 0), CONSTRAINT "PK_57a26b190618550d8e65fb860e7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_stock_movements_warehouse" ON "stock_movements"  ("warehouse_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_stock_movements_product" ON "stock_movements"  ("product_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_stock_movements_created" ON "stock_movements"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL DEFAULT '', "tags" text array NOT NULL DEFAULT '{}', "search" tsvector, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ba5885359424c15ca6b9e79bcf6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_items_tags" ON "items" USING gin ("tags") `);
    await queryRunner.query(`CREATE INDEX "IDX_items_search" ON "items" USING gin ("search") `);
    await queryRunner.query(`CREATE INDEX "IDX_items_created" ON "items"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "counters" ("name" character varying(50) NOT NULL, "value" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_6a570b781e5dc263d6db32bda31" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "purchase_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" character varying(20) NOT NULL, "status" character varying(12) NOT NULL, "requester_id" uuid NOT NULL, "approver_id" uuid, "rejection_reason" character varying(500), "received_warehouse_id" uuid, "note" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f3c5a8ff7bd4338f4c860925c8f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_purchase_requests_status" ON "purchase_requests"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_purchase_requests_created" ON "purchase_requests"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_purchase_requests_number" ON "purchase_requests"  ("number") `,
    );
    await queryRunner.query(
      `CREATE TABLE "purchase_request_lines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purchase_request_id" uuid NOT NULL, "product_id" uuid NOT NULL, "quantity" integer NOT NULL, "unit_price_cents" bigint, CONSTRAINT "CHK_purchase_request_lines_quantity" CHECK ("quantity" > 0), CONSTRAINT "PK_4ff9bbf89a697089f83b8922777" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_purchase_request_lines_request" ON "purchase_request_lines"  ("purchase_request_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "products" ADD CONSTRAINT "FK_products_supplier" FOREIGN KEY ("supplier_id") REFERENCES "suppliers"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stock_levels" ADD CONSTRAINT "FK_stock_levels_product" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stock_levels" ADD CONSTRAINT "FK_stock_levels_warehouse" FOREIGN KEY ("warehouse_id") REFERENCES "warehouses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stock_movements" ADD CONSTRAINT "FK_stock_movements_product" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stock_movements" ADD CONSTRAINT "FK_stock_movements_warehouse" FOREIGN KEY ("warehouse_id") REFERENCES "warehouses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stock_movements" ADD CONSTRAINT "FK_stock_movements_to_warehouse" FOREIGN KEY ("to_warehouse_id") REFERENCES "warehouses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchase_request_lines" ADD CONSTRAINT "FK_purchase_request_lines_request" FOREIGN KEY ("purchase_request_id") REFERENCES "purchase_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchase_request_lines" ADD CONSTRAINT "FK_purchase_request_lines_product" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Written by hand (TypeORM does not model triggers): the full-text column of items, and the
    // append-only audit log.
    await queryRunner.query(`CREATE FUNCTION items_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
             || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'B')
             || setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'C');
  RETURN NEW;
END $$`);
    await queryRunner.query(
      `CREATE TRIGGER items_search_update BEFORE INSERT OR UPDATE OF title, body, tags ON "items" FOR EACH ROW EXECUTE FUNCTION items_search_update()`,
    );
    await queryRunner.query(`CREATE FUNCTION audit_logs_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only';
END $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_logs_immutable BEFORE UPDATE OR DELETE ON "audit_logs" FOR EACH ROW EXECUTE FUNCTION audit_logs_immutable()`,
    );
    await queryRunner.query(`INSERT INTO "counters" ("name", "value") VALUES ('purchase_request', 0)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS audit_logs_immutable ON "audit_logs"`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS audit_logs_immutable()`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS items_search_update ON "items"`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS items_search_update()`);
    await queryRunner.query(
      `ALTER TABLE "purchase_request_lines" DROP CONSTRAINT "FK_purchase_request_lines_product"`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchase_request_lines" DROP CONSTRAINT "FK_purchase_request_lines_request"`,
    );
    await queryRunner.query(
      `ALTER TABLE "stock_movements" DROP CONSTRAINT "FK_stock_movements_to_warehouse"`,
    );
    await queryRunner.query(`ALTER TABLE "stock_movements" DROP CONSTRAINT "FK_stock_movements_warehouse"`);
    await queryRunner.query(`ALTER TABLE "stock_movements" DROP CONSTRAINT "FK_stock_movements_product"`);
    await queryRunner.query(`ALTER TABLE "stock_levels" DROP CONSTRAINT "FK_stock_levels_warehouse"`);
    await queryRunner.query(`ALTER TABLE "stock_levels" DROP CONSTRAINT "FK_stock_levels_product"`);
    await queryRunner.query(`ALTER TABLE "products" DROP CONSTRAINT "FK_products_supplier"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_purchase_request_lines_request"`);
    await queryRunner.query(`DROP TABLE "purchase_request_lines"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_purchase_requests_number"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_purchase_requests_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_purchase_requests_status"`);
    await queryRunner.query(`DROP TABLE "purchase_requests"`);
    await queryRunner.query(`DROP TABLE "counters"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_items_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_items_search"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_items_tags"`);
    await queryRunner.query(`DROP TABLE "items"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_stock_movements_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_stock_movements_product"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_stock_movements_warehouse"`);
    await queryRunner.query(`DROP TABLE "stock_movements"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_stock_levels_warehouse"`);
    await queryRunner.query(`DROP TABLE "stock_levels"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_warehouses_created"`);
    await queryRunner.query(`DROP TABLE "warehouses"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_products_sku"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_products_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_products_supplier"`);
    await queryRunner.query(`DROP TABLE "products"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_suppliers_created"`);
    await queryRunner.query(`DROP TABLE "suppliers"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_logs_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_logs_entity"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_logs_actor"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_logs_action"`);
    await queryRunner.query(`DROP TABLE "audit_logs"`);
  }
}
