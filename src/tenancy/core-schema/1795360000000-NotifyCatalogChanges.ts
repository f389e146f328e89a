import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to the catalog (`organizations`) is announced on `tenantry_catalog` by the database itself,
 * so every instance drops its cached entry whatever wrote the row — the service, the CLI, or an operator's
 * SQL. Hand-written: triggers are not part of the entity model.
 */
export class NotifyCatalogChanges1795360000000 implements MigrationInterface {
  name = 'NotifyCatalogChanges1795360000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION tenantry_catalog_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('tenantry_catalog', OLD.slug);
          RETURN OLD;
        END IF;
        PERFORM pg_notify('tenantry_catalog', NEW.slug);
        IF TG_OP = 'UPDATE' AND OLD.slug IS DISTINCT FROM NEW.slug THEN
          PERFORM pg_notify('tenantry_catalog', OLD.slug);
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "organizations_notify" AFTER INSERT OR UPDATE OR DELETE ON "organizations"
       FOR EACH ROW EXECUTE FUNCTION tenantry_catalog_notify()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "organizations_notify" ON "organizations"`);
    await queryRunner.query(`DROP FUNCTION tenantry_catalog_notify()`);
  }
}
